import { z } from 'zod';
import { ROLE_KEYS, RoleKey } from './roles';
import { DEFAULT_DEVICE_USES, RequestTypeConfig, Route } from './requests';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person is named by Entra object id (a GUID) or by email / UPN. */
const Holder = z
  .string()
  .trim()
  .refine((s) => GUID.test(s) || /^[^@\s]+@[^@\s]+$/.test(s), 'must be an Entra object id (GUID) or an email / UPN')
  .transform((s) => s.toLowerCase());

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const School = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be lower-case letters, digits and dashes'),
    name: z.string().min(1).max(120),
    tenantId: z.string().regex(GUID, 'must be the Microsoft 365 tenant id (a GUID)'),
    /**
     * When several schools share a tenant (a trust): the email domains of this school's staff. A
     * person is placed by a choice they made, the staff team, a role, then these; else asked once.
     */
    emailDomains: z
      .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain like oakfield.sch.uk'))
      .default([]),
    timezone: z
      .string()
      .default('Europe/London')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'is not a known time zone'),
    roles: z.record(RoleKey, z.array(Holder)).default({}),
    routing: z.record(z.string(), Route).default({}),
    requestTypes: z.array(RequestTypeConfig).default([]),
    policies: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
            title: z.string().min(1),
            path: z.string().min(1),
            url: z.string().url().optional(),
            /** How staff know this version ("September 2026"); else the date the document gives itself. */
            edition: z.string().min(1).max(60).optional(),
          })
          .strict(),
      )
      .default([]),
    approvals: z
      .object({
        remindAfterWorkingDays: z.number().int().min(1).max(30).default(2),
        escalateAfterWorkingDays: z.number().int().min(1).max(30).default(2),
      })
      .strict()
      .default({}),
    breach: z
      .object({
        reminderHours: z.array(z.number().positive().max(72)).default([24, 48, 60]),
        escalateAfterHours: z.number().positive().max(72).default(48),
        /** A private channel of the data-protection team that is told a report was made (its reference only, never its content). */
        alertChannel: z
          .object({ conversationId: z.string().min(1), serviceUrl: z.string().url() })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    schedules: z
      .object({
        acknowledgementReminder: z
          .object({
            weekday: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']).default('monday'),
            time: TimeOfDay.default('08:30'),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    holidays: z.array(z.object({ from: IsoDate, to: IsoDate }).strict()).default([]),
    /** The school's terms, for the governors' report sent at the end of each. */
    terms: z.array(z.object({ name: z.string().min(1).max(60), from: IsoDate, to: IsoDate }).strict()).default([]),
    /** How long to keep each kind of record, in days, where the school's differs from the default (say "retention"). */
    retention: z.record(z.string(), z.number().int().min(1).max(36_500)).default({}),
    /** The annual "I have read the policy" confirmation. */
    acknowledgement: z
      .object({
        enabled: z.boolean().default(true),
        /** Which policy (by id) staff confirm; the first one by default. */
        policy: z.string().optional(),
        validMonths: z.number().int().min(1).max(36).default(12),
        /** Also remind people whose confirmation ends within this many days. */
        dueWithinDays: z.number().int().min(0).max(90).default(30),
        /** The rules the card lists; the policy's section headings when not given. */
        keyRules: z.array(z.string().min(1).max(200)).max(10).default([]),
        /** Teams whose members are the staff who must confirm (besides everyone who uses the bot). */
        teams: z.array(z.object({ id: z.string().min(1), serviceUrl: z.string().url() }).strict()).default([]),
      })
      .strict()
      .default({}),
    askAPersonRole: RoleKey.default('dpo'),
    /**
     * Yearly confirmations besides the policy ("I have completed this year's cyber-security
     * training"), each asked and reported like the policy: when someone joins, when its edition
     * changes, then weekly while outstanding.
     */
    attestations: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9-]{1,29}$/, 'must be lower-case letters, digits and dashes'),
            title: z.string().min(1).max(100),
            /** What each person confirms, in the first person. */
            statement: z.string().min(1).max(300),
            url: z.string().url().optional(),
            /** "2026-27": a new edition asks everyone again. */
            edition: z.string().max(60).default(''),
            validMonths: z.number().int().min(1).max(36).default(12),
            /** Who must confirm: holders of these roles; everyone on the staff list when empty. */
            audience: z.array(RoleKey).default([]),
          })
          .strict(),
      )
      .max(10)
      .default([]),
    /** The personal-device form: what a school lets staff use their own device for. */
    devices: z
      .object({
        uses: z
          .array(
            z
              .object({
                value: z.string().regex(/^[a-z][a-z0-9-]{1,29}$/, 'must be lower-case letters, digits and dashes'),
                title: z.string().min(1).max(80),
                /** A use the school's policy forbids: the rule and what to do instead, shown when it is picked. */
                refuse: z.string().min(1).max(400).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(12)
          .default(DEFAULT_DEVICE_USES),
      })
      .strict()
      .default({}),
    /** The image-consent register: how the MIS export's columns map, and the look-up limit. */
    consent: z
      .object({
        lookupsPerHour: z.number().int().min(1).max(10_000).default(60),
        columns: z
          .object({
            id: z.string().default('Adno'),
            firstName: z.string().default('Forename'),
            surname: z.string().default('Surname'),
            year: z.string().default('Year'),
            group: z.string().default('Reg Group'),
            date: z.string().default('Consent Date'),
            uses: z
              .record(
                z.enum([
                  'website',
                  'prospectus',
                  'video',
                  'learningPlatform',
                  'displayInside',
                  'displayOutside',
                  'press',
                  'socialMedia',
                ]),
                z.string(),
              )
              .default({
                website: 'Website',
                prospectus: 'Prospectus',
                video: 'Video',
                learningPlatform: 'Learning Platform',
                displayInside: 'Display Inside',
                displayOutside: 'Display Outside',
                press: 'Press',
                socialMedia: 'Social Media',
              }),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict();
export type SchoolConfig = z.infer<typeof School>;

export const SchoolsFile = z
  .object({
    app: z
      .object({
        privacyUrl: z.string().url().optional(),
        termsUrl: z.string().url().optional(),
      })
      .strict()
      .default({}),
    schools: z.array(School).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.schools.forEach((s, i) => {
      // "Not sure" about personal data must reach the DPO like "yes".
      (s.routing.software?.stages ?? []).forEach((st, j) => {
        const w = st.when;
        if (w && w.field === 'personalData' && 'in' in w && !w.in.includes('unsure'))
          ctx.addIssue({
            code: 'custom',
            message: `a software request whose personal data is "Not sure" would skip this step: add unsure to the list`,
            path: ['schools', i, 'routing', 'software', 'stages', j, 'when', 'in'],
          });
      });
      for (const problem of unreachableBreachReports(s))
        ctx.addIssue({
          code: 'custom',
          message: `${problem}: name at least two different people among the breach route and the ${BREACH_FALLBACK_ROLES.join(', ')} roles, and not only people the report could be about`,
          path: ['schools', i, 'roles'],
        });
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', message: `school id "${s.id}" is used twice`, path: ['schools', i, 'id'] });
      seen.add(s.id);
      const keys = new Set<string>();
      s.requestTypes.forEach((t, j) => {
        if (keys.has(t.key))
          ctx.addIssue({
            code: 'custom',
            message: `request type "${t.key}" is defined twice`,
            path: ['schools', i, 'requestTypes', j, 'key'],
          });
        keys.add(t.key);
      });
    });
  });
export type SchoolsFile = z.infer<typeof SchoolsFile>;

/**
 * Who a breach report goes to when its usual handlers cannot take it (they made it, or it is
 * about them): these roles, in this order, the first with someone who may receive it.
 */
export const BREACH_FALLBACK_ROLES: readonly RoleKey[] = ['headteacher', 'dpo', 'sbm', 'dco', 'dsl', 'it'];

/**
 * A breach report must always reach someone. Whoever makes it and whichever role it concerns,
 * at least one other person must hold a role it can go to: the school's breach route, then
 * `BREACH_FALLBACK_ROLES`. Returns a sentence per way a report could reach nobody.
 */
export function unreachableBreachReports(school: z.infer<typeof School>): string[] {
  const routeRoles = (school.routing.breach?.stages ?? []).flatMap((st) => st.roles);
  const roles = new Set<RoleKey>([...routeRoles, ...BREACH_FALLBACK_ROLES]);
  const holdersOf = (r: RoleKey) => (school.roles[r] ?? []).map((h) => h.toLowerCase());
  const everyone = new Set([...roles].flatMap(holdersOf));
  const out: string[] = [];
  for (const about of ['none', ...ROLE_KEYS] as const) {
    const concerned = new Set(about === 'none' ? [] : holdersOf(about));
    const left = [...everyone].filter((h) => !concerned.has(h));
    // The reporter may be one of them: someone else must remain.
    if (left.length < 2)
      out.push(
        about === 'none'
          ? `a breach report made by ${left[0] ?? 'anyone'} would reach nobody`
          : `a breach report about the ${about} role could reach nobody`,
      );
  }
  return out;
}
