import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';
import { AppError } from './errors';

/** The role keys the policies use. A school names its holders for each. */
export const ROLE_KEYS = ['headteacher', 'sbm', 'it', 'dpo', 'dco', 'dsl', 'esafety', 'office'] as const;
export const RoleKey = z.enum(ROLE_KEYS);
export type RoleKey = z.infer<typeof RoleKey>;

export const ROLE_TITLES: Record<RoleKey, string> = {
  headteacher: 'Headteacher',
  sbm: 'School Business Manager',
  it: 'IT technician',
  dpo: 'Data Protection Officer',
  dco: 'Data compliance officer',
  dsl: 'Designated Safeguarding Lead',
  esafety: 'E-safety coordinator',
  office: 'School office',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person is named by Entra object id (a GUID) or by email / UPN. */
const Holder = z
  .string()
  .trim()
  .refine((s) => GUID.test(s) || /^[^@\s]+@[^@\s]+$/.test(s), 'must be an Entra object id (GUID) or an email / UPN')
  .transform((s) => s.toLowerCase());

const Condition = z.union([
  z.object({ field: z.string(), equals: z.union([z.string(), z.boolean(), z.number()]) }).strict(),
  z.object({ field: z.string(), in: z.array(z.string()).min(1) }).strict(),
  z.object({ field: z.string(), includesAny: z.array(z.string()).min(1) }).strict(),
]);
export type Condition = z.infer<typeof Condition>;

const Stage = z
  .object({
    name: z.string().min(1).max(80),
    roles: z.array(RoleKey).min(1),
    when: Condition.optional(),
    /** Roles added when nobody decides in time. */
    escalateTo: z.array(RoleKey).optional(),
  })
  .strict();
export type StageConfig = z.infer<typeof Stage>;

const Route = z.object({ stages: z.array(Stage).min(1) }).strict();
export type RouteConfig = z.infer<typeof Route>;

const FieldId = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'must be a short camelCase name');
const Field = z
  .object({
    id: FieldId,
    label: z.string().min(1).max(120),
    kind: z.enum(['text', 'choice', 'yesno', 'date']),
    required: z.boolean().default(true),
    multiline: z.boolean().default(false),
    choices: z
      .array(z.object({ value: z.string().min(1).max(60), title: z.string().min(1).max(120) }).strict())
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.kind === 'choice' && !f.choices?.length) {
      ctx.addIssue({ code: 'custom', message: 'a choice field needs a list of choices', path: ['choices'] });
    }
    if (f.kind !== 'choice' && f.choices) {
      ctx.addIssue({
        code: 'custom',
        message: `only a choice field has choices (this one is ${f.kind})`,
        path: ['choices'],
      });
    }
  });
export type FieldConfig = z.infer<typeof Field>;

const RequestTypeConfig = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be lower-case letters, digits and dashes'),
    title: z.string().min(1).max(80),
    description: z.string().max(400).default(''),
    /** How staff might ask for it in their own words: the bot learns this request from them. */
    examples: z.array(z.string().min(3).max(200)).max(60).default([]),
    refPrefix: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2 to 4 capital letters'),
    fields: z.array(Field).min(1).max(12),
    stages: z.array(Stage).min(1),
    /** What the policy says when a request's answers meet every condition, shown to requester and approvers. */
    warnings: z
      .array(z.object({ when: z.array(Condition).min(1), text: z.string().min(1).max(400) }).strict())
      .default([]),
    /**
     * Answers the school's policy forbids: when every condition holds the form is refused with the
     * text (the rule, and what to do instead), and nothing is sent.
     */
    refuse: z
      .array(z.object({ when: z.array(Condition).min(1), text: z.string().min(1).max(400) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.fields.forEach((f, i) => {
      if (ids.has(f.id))
        ctx.addIssue({ code: 'custom', message: `field id "${f.id}" is used twice`, path: ['fields', i, 'id'] });
      ids.add(f.id);
    });
    for (const [list, rules] of [
      ['warnings', t.warnings],
      ['refuse', t.refuse],
    ] as const)
      rules.forEach((r, i) =>
        r.when.forEach((c, j) => {
          if (!ids.has(c.field))
            ctx.addIssue({
              code: 'custom',
              message: `condition refers to a field "${c.field}" this request type does not ask`,
              path: [list, i, 'when', j, 'field'],
            });
        }),
      );
    t.stages.forEach((s, i) => {
      if (s.when && !ids.has(s.when.field)) {
        ctx.addIssue({
          code: 'custom',
          message: `condition refers to a field "${s.when.field}" this request type does not ask`,
          path: ['stages', i, 'when', 'field'],
        });
      }
    });
  });
export type RequestTypeConfig = z.infer<typeof RequestTypeConfig>;

/**
 * What staff may ask to use a personal device for, when the school does not say. A school whose
 * policy keeps pupils' photos off personal phones marks `photos` with `refuse` (or leaves it out).
 */
export const DEFAULT_DEVICE_USES = [
  { value: 'email', title: 'School email' },
  { value: 'mis', title: 'MIS and school systems' },
  { value: 'documents', title: 'School documents' },
  { value: 'photos', title: 'Photos on a trip or event' },
];

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

const SchoolsFile = z
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

const Env = z.object({
  BOT_MODE: z.enum(['production', 'local']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().optional(),
  SCHOOL_CONFIG: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z.string().optional(),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
  MicrosoftAppTenantId: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  JOB_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  RUN_JOBS: z.enum(['true', 'false']).default('true'),
  /** How long a message the Bot Connector could not take is tried again before it is reported as failed. */
  DELIVERY_GIVE_UP_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /** How long an instance's claim on an outgoing message lasts unless renewed (a stopped instance's sends are taken over after it). */
  OUTBOX_CLAIM_SECONDS: z.coerce.number().min(1).max(600).default(60),
  /** The OpenID document of the channel's signing keys: only for a sovereign cloud (or a test). */
  BOT_OPENID_METADATA_URL: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().optional(),
  /** Set for Azure OpenAI (then OPENAI_BASE_URL is the deployment's URL and the key goes in `api-key`). */
  OPENAI_API_VERSION: z.string().optional(),
});

export interface BotCredentials {
  appId: string;
  appType: 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  password?: string;
}

export interface AppConfig {
  mode: 'production' | 'local';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  bodyLimitBytes: number;
  /** An optional language model that phrases policy answers from the passages found; off unless configured. */
  llm?: { apiKey: string; baseUrl: string; model: string; apiVersion?: string };
  /** Where people's browsers reach the bot, for one-time export links. */
  publicUrl?: string;
  jobIntervalMs: number;
  /** False on web instances when `npm run worker` runs the scheduled jobs. */
  runJobs: boolean;
  credentials?: BotCredentials;
  /** Where the channel's signing keys are published, when not the public cloud's. */
  openIdMetadataUrl?: string;
  /** How long an undelivered message is tried again. */
  deliveryGiveUpMs: number;
  outboxClaimMs: number;
  schoolConfigPath: string;
  file: SchoolsFile;
  /** Where relative paths in the school YAML are resolved from. */
  configDir: string;
}

export const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, 'config', 'example-school.yaml');

function formatIssues(prefix: string, issues: z.ZodIssue[]): string[] {
  return issues.map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
}

/** Parses and checks a school YAML text; every problem is listed with its path. */
export function parseSchoolsFile(text: string, source: string): SchoolsFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new AppError('config_invalid', `${source} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = SchoolsFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'config_invalid',
      [`${source} has ${parsed.error.issues.length} problem(s):`, ...formatIssues('  - ', parsed.error.issues)].join(
        '\n',
      ),
    );
  }
  return parsed.data;
}

/**
 * Loads the whole configuration from the environment and the school YAML. Production refuses to
 * start without Bot Framework credentials; local mode (asked for explicitly) runs without them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const e = Env.safeParse(env);
  if (!e.success)
    throw new AppError(
      'config_invalid',
      ['The environment has problems:', ...formatIssues('  - ', e.error.issues)].join('\n'),
    );
  const v = e.data;
  const local = v.BOT_MODE === 'local';

  let credentials: BotCredentials | undefined;
  if (!local) {
    const missing: string[] = [];
    if (!v.MicrosoftAppId) missing.push('MicrosoftAppId');
    if (!v.MicrosoftAppType) missing.push('MicrosoftAppType (SingleTenant or UserAssignedMSI)');
    if (!v.MicrosoftAppTenantId) missing.push('MicrosoftAppTenantId');
    if (v.MicrosoftAppType === 'MultiTenant')
      problems.push('MicrosoftAppType MultiTenant is not supported: use SingleTenant or UserAssignedMSI');
    if (v.MicrosoftAppType !== 'UserAssignedMSI' && !v.MicrosoftAppPassword)
      missing.push('MicrosoftAppPassword (needed unless MicrosoftAppType is UserAssignedMSI)');
    if (!v.SCHOOL_CONFIG) missing.push('SCHOOL_CONFIG (path of the school YAML)');
    if (missing.length)
      problems.push(
        `Production mode needs: ${missing.join(', ')}. For a local trial without credentials run "npm run dev".`,
      );
    else if (v.MicrosoftAppType !== 'MultiTenant') {
      credentials = {
        appId: v.MicrosoftAppId!,
        appType: v.MicrosoftAppType!,
        tenantId: v.MicrosoftAppTenantId!,
        password: v.MicrosoftAppPassword,
      };
    }
  }

  const schoolConfigPath = path.resolve(v.SCHOOL_CONFIG ?? EXAMPLE_CONFIG);
  let file: SchoolsFile | undefined;
  try {
    file = parseSchoolsFile(readFileSync(schoolConfigPath, 'utf8'), schoolConfigPath);
  } catch (err) {
    if (err instanceof AppError) problems.push(err.userMessage);
    else problems.push(`cannot read the school configuration ${schoolConfigPath}: ${(err as Error).message}`);
  }
  if (problems.length || !file) throw new AppError('config_invalid', problems.join('\n'));

  return {
    mode: v.BOT_MODE,
    port: v.PORT,
    // Without authentication the endpoint must never be reachable from another machine.
    host: local ? '127.0.0.1' : (v.HOST ?? '0.0.0.0'),
    dataDir: path.resolve(v.DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    publicUrl: v.PUBLIC_URL ?? (local ? `http://127.0.0.1:${v.PORT}` : undefined),
    llm: v.OPENAI_API_KEY
      ? {
          apiKey: v.OPENAI_API_KEY,
          baseUrl: v.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
          model: v.OPENAI_MODEL ?? 'gpt-4o-mini',
          apiVersion: v.OPENAI_API_VERSION,
        }
      : undefined,
    jobIntervalMs: v.JOB_INTERVAL_MS,
    runJobs: v.RUN_JOBS === 'true',
    credentials,
    openIdMetadataUrl: v.BOT_OPENID_METADATA_URL,
    deliveryGiveUpMs: v.DELIVERY_GIVE_UP_HOURS * 3600_000,
    outboxClaimMs: v.OUTBOX_CLAIM_SECONDS * 1000,
    schoolConfigPath,
    file,
    configDir: path.dirname(schoolConfigPath),
  };
}
