import { CONSENT_SCHEMA } from './schema';
import { z } from 'zod';
import type { Actor, OutMessage } from '../../core';
import { badInput, forbidden } from '../../errors';
import {
  ConsentIndex,
  importRegister,
  readRegister,
  USES,
  USE_KEYS,
  bumpVersion,
  registerVersion,
  type IndexedPupil,
  type UseKey,
} from './register';
import { audit, countActions, countSchoolActions, lockAuditChain, type AuditEntry } from '../../store/audit';
import { periodMs } from '../termly';
import { formatSchoolTime, schoolDate } from '../../clock';
import { entity } from '../../understanding';
import { action, type EntityHit, type Flow, type Services } from '../types';
import { CONSENT_INTENTS, spotClass, spotUse } from './understands';

/** The school's register in memory; reloaded when another change (here or on another instance) bumped its version. */
async function registerIndex(svc: Services, schoolId: string): Promise<ConsentIndex> {
  const m = svc.memory.map<ConsentIndex>('consent.indexes');
  const version = await registerVersion(svc.db, schoolId);
  let idx = m.get(schoolId);
  if (!idx || idx.version !== version) m.set(schoolId, (idx = await ConsentIndex.load(svc.db, schoolId)));
  return idx;
}

const KEEPERS = ['office', 'dpo'] as const;
const NAME_RULE = "Never put a pupil's full name beside their image, in print or online.";
const useTitle = (u: UseKey) => USES[u];

/**
 * Records one look-up, or refuses it beyond the school's hourly limit (a guard against trawling
 * the register). The count and the record are one step (the school's audit chain is locked while
 * they happen), so look-ups made at the same moment cannot pass the limit together.
 */
async function recordLookup(
  svc: Services,
  actor: Actor,
  entry: Omit<AuditEntry, 'actorId' | 'schoolId'>,
): Promise<void> {
  const since = entry.at - 3_600_000;
  const n = await svc.db.transaction(async (tx) => {
    await lockAuditChain(tx, actor.school.id);
    const n = await countActions(tx, actor.id, ['consent.lookup', 'consent.group_lookup', 'consent.search'], since);
    const limited = n >= actor.school.consent.lookupsPerHour;
    await audit(tx, {
      ...entry,
      ...(limited ? { action: 'consent.rate_limited', subject: actor.school.id, detail: {} } : {}),
      actorId: actor.id,
      schoolId: actor.school.id,
    });
    return limited ? n : -1;
  });
  if (n >= 0)
    throw forbidden(
      `You have made ${n} consent look-ups in the last hour, which is the limit. Please try again later, or ask the school office.`,
    );
}

function resultFor(svc: Services, p: IndexedPupil, use: UseKey): OutMessage {
  const c = p.consents.get(use);
  const who = `${p.first} ${p.surname} (Year ${p.year}, ${p.group})`;
  const date = c?.recordedOn ? ` (recorded ${c.recordedOn.split('-').reverse().join('/')})` : '';
  const [headline, color, line] =
    c?.status === 'yes'
      ? [
          `Yes: consent is given for ${useTitle(use)}`,
          'Good',
          `${who} may appear in images for ${useTitle(use)}${date}.`,
        ]
      : c?.status === 'no'
        ? [
            `No: consent is not given for ${useTitle(use)}`,
            'Attention',
            `${who} must not appear in images for ${useTitle(use)}${date}.`,
          ]
        : [
            `Not recorded: treat it as no`,
            'Attention',
            `There is no consent on record for ${who} for ${useTitle(use)}, so they must not appear. The school office can check with the family.`,
          ];
  return { card: svc.cards.render('consent/result', { headline, color, lines: [line, NAME_RULE] }) };
}

async function checkPupil(
  svc: Services,
  actor: Actor,
  name: string,
  use: UseKey,
  group?: string,
  pupilId?: string,
): Promise<OutMessage> {
  const school = actor.school;
  const idx = await registerIndex(svc, school.id);
  let matches: IndexedPupil[];
  if (pupilId) matches = idx.find(name).filter((p) => p.id === pupilId);
  else {
    if (name.replace(/[^a-z]/gi, '').length < 3) throw badInput("Type at least three letters of the pupil's name.");
    matches = idx.find(name);
    if (group)
      matches = matches.filter((p) =>
        [p.group, p.year, `year ${p.year}`].some((g) => g.toLowerCase() === group.trim().toLowerCase()),
      );
  }
  const now = svc.clock.now();
  if (matches.length === 1) {
    const p = matches[0]!;
    await recordLookup(svc, actor, { at: now, action: 'consent.lookup', subject: p.id, detail: { use } });
    return resultFor(svc, p, use);
  }
  await recordLookup(svc, actor, {
    at: now,
    action: 'consent.search',
    subject: school.id,
    detail: { use, matches: matches.length },
  });
  if (!matches.length)
    return {
      card: svc.cards.render('consent/result', {
        headline: 'No pupil found',
        color: 'Warning',
        lines: [`No current pupil matches "${name}". Check the spelling, or add their class.`],
      }),
    };
  if (matches.length > 6)
    return {
      card: svc.cards.render('consent/result', {
        headline: 'Too many pupils match',
        color: 'Warning',
        lines: [`${matches.length} pupils match "${name}". Add more of the name, or their class or year.`],
      }),
    };
  return {
    card: svc.cards.render('consent/choose', {
      heading: 'Which pupil?',
      items: matches.map((p) => ({
        label: `${p.first} ${p.surname}`,
        detail: `Year ${p.year}, ${p.group}`,
        pupilId: p.id,
        name: `${p.first} ${p.surname}`,
        use,
      })),
    }),
  };
}

async function checkGroup(svc: Services, actor: Actor, group: string, use: UseKey): Promise<OutMessage> {
  const idx = await registerIndex(svc, actor.school.id);
  const pupils = idx.group(group);
  await recordLookup(svc, actor, {
    at: svc.clock.now(),
    action: 'consent.group_lookup',
    subject: group.slice(0, 40),
    detail: { use, pupils: pupils.length },
  });
  if (!pupils.length)
    return {
      card: svc.cards.render('consent/result', {
        headline: 'No such class or year',
        color: 'Warning',
        lines: [`No current pupils are in "${group}". Use the class as the register shows it (e.g. 4B) or "Year 4".`],
      }),
    };
  const not = pupils
    .filter((p) => p.consents.get(use)?.status !== 'yes')
    .sort((a, b) => a.surname.localeCompare(b.surname));
  return {
    card: svc.cards.render('consent/group', {
      heading: `${group}: ${useTitle(use)}`,
      summary: `${pupils.length - not.length} of ${pupils.length} may appear. ${not.length ? `These ${not.length} must not (no consent, or none recorded):` : 'Every pupil has consent.'}`,
      pupils: not.map((p) => `${p.first} ${p.surname} (${p.group})${p.consents.get(use) ? '' : ': not recorded'}`),
      rule: NAME_RULE,
    }),
  };
}

const UseSchema = z.enum(USE_KEYS, { message: 'pick what the image is for' });

function checkForm(svc: Services, values: Record<string, unknown> = {}, error = ''): OutMessage {
  return {
    card: svc.cards.render('consent/check', {
      name: '',
      group: '',
      use: '',
      error,
      ...values,
      uses: USE_KEYS.map((k) => ({ value: k, title: USES[k] })),
    }),
  };
}

export const consentFlow: Flow = {
  id: 'consent',
  schema: CONSENT_SCHEMA,
  /** How often the register was looked at in the term (and refused beyond the hourly limit). */
  async termly(svc, school, from, to) {
    const { start, end } = periodMs(school, from, to);
    const count = (actions: string[]) => countSchoolActions(svc.db, school.id, actions, start, end);
    return {
      title: 'Photo consent',
      facts: [
        { label: 'Look-ups', value: String(await count(['consent.lookup', 'consent.group_lookup', 'consent.search'])) },
        { label: 'Refused beyond the hourly limit', value: String(await count(['consent.rate_limited'])) },
      ],
    };
  },
  menu: { title: 'Check photo consent', description: "Check whether a pupil's or a class's photo may be used" },
  commands: ['photo consent', 'image consent', 'check consent', 'consent'],
  start: async (_actor, svc) => checkForm(svc),
  actions: [
    action(
      'consent.check',
      z
        .object({
          name: z.string().trim().max(80).optional(),
          group: z.string().trim().max(40).optional(),
          use: UseSchema,
        })
        .strict(),
      async (actor, d, svc) => {
        if (d.name) return checkPupil(svc, actor, d.name, d.use, d.group || undefined);
        if (d.group) return checkGroup(svc, actor, d.group, d.use);
        return checkForm(svc, d, "Type a pupil's name, or a class or year for a group check.");
      },
    ),
    action(
      'consent.pupil',
      z.object({ pupilId: z.string().max(40), name: z.string().max(120), use: UseSchema }).strict(),
      (actor, d, svc) => checkPupil(svc, actor, d.name, d.use, undefined, d.pupilId),
    ),
    action(
      'consent.record',
      z
        .object({
          name: z.string().trim().min(3, "type the pupil's name").max(80),
          group: z.string().trim().max(40).optional(),
          use: UseSchema,
          status: z.enum(['given', 'withdrawn'], { message: 'say whether consent was given or withdrawn' }),
          receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'give the date on the note'),
          how: z.enum(['letter', 'email', 'form', 'in-person'], { message: 'say how it was received' }),
        })
        .strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        if (!(await svc.directory.holds(actor, [...KEEPERS])))
          throw forbidden('Only the school office and the DPO record consent.');
        if (d.receivedOn > schoolDate(svc.clock.now(), school.timezone))
          throw badInput('The date on the note is in the future.');
        const idx = await registerIndex(svc, school.id);
        let m = idx.find(d.name);
        if (d.group) m = m.filter((p) => [p.group, p.year].some((g) => g.toLowerCase() === d.group!.toLowerCase()));
        if (m.length !== 1)
          throw badInput(
            m.length
              ? `${m.length} pupils match: ${m
                  .slice(0, 6)
                  .map((p) => `${p.first} ${p.surname} (${p.group})`)
                  .join(', ')}. Add the class to say which.`
              : `No current pupil matches "${d.name}".`,
          );
        const p = m[0]!;
        const now = svc.clock.now();
        const to = d.status === 'given' ? 'yes' : 'no';
        await svc.db.transaction(async (tx) => {
          const from =
            (
              await tx.get<{ status: string }>(
                'SELECT status FROM consents WHERE school_id = ? AND pupil_id = ? AND use_key = ?',
                [school.id, p.id, d.use],
              )
            )?.status ?? null;
          await tx.run(
            `INSERT INTO consents (school_id, pupil_id, use_key, status, recorded_on, source, updated_at) VALUES (?, ?, ?, ?, ?, 'office', ?)
             ON CONFLICT (school_id, pupil_id, use_key) DO UPDATE SET status = excluded.status, recorded_on = excluded.recorded_on, source = excluded.source, updated_at = excluded.updated_at`,
            [school.id, p.id, d.use, to, d.receivedOn, now],
          );
          await tx.run(
            'INSERT INTO consent_changes (school_id, pupil_id, use_key, from_status, to_status, at, recorded_on, source, actor_id, how) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [school.id, p.id, d.use, from, to, now, d.receivedOn, 'office', actor.id, d.how],
          );
          await bumpVersion(tx, school.id);
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: actor.id,
            action: 'consent.recorded',
            subject: p.id,
            detail: { use: d.use, to },
          });
        });
        return {
          card: svc.cards.render('consent/result', {
            headline: `Recorded: consent ${d.status}`,
            color: 'Good',
            lines: [
              `${p.first} ${p.surname} (${p.group}), ${useTitle(d.use)}, from the parent's ${d.how.replace('-', ' ')} of ${d.receivedOn.split('-').reverse().join('/')}. It applies to checks from now.`,
            ],
          }),
        };
      },
    ),
  ],
  understands: () => CONSENT_INTENTS,
  async spot(actor, text, svc) {
    const idx = await registerIndex(svc, actor.school.id);
    const out: EntityHit[] = idx.spot(text).map((p) => ({
      type: 'pupil',
      // One pupil: the register's name; several (two Olivers): the words typed, for the check to tell apart.
      value: p.pupils.length === 1 ? `${p.pupils[0]!.first} ${p.pupils[0]!.surname}` : p.text,
      text: p.text,
      start: p.start,
      end: p.end,
      slot: true,
    }));
    const use = spotUse(text);
    if (use) out.push(use);
    const group = spotClass(text, (g) => idx.group(g).length > 0);
    if (group) out.push(group);
    return out;
  },
  /** "Can Freya be in the paper?": answered for that pupil and use, or the form asks what is missing. */
  async onIntent(actor, u, svc) {
    const pupil = entity(u, 'pupil')?.value;
    const group = entity(u, 'class')?.value;
    const use = entity(u, 'use')?.value as UseKey | undefined;
    if (pupil && use) return checkPupil(svc, actor, pupil, use);
    if (pupil) return checkForm(svc, { name: pupil }, 'Which use is it for?');
    if (group && use) return checkGroup(svc, actor, group, use);
    if (group) return checkForm(svc, { group }, 'Which use is it for?');
    return checkForm(svc, use ? { use } : {});
  },
  async onFile(actor, file, svc) {
    if (!/\.csv$/i.test(file.name)) return undefined;
    if (!(await svc.directory.holds(actor, [...KEEPERS]))) {
      await audit(svc.db, {
        at: svc.clock.now(),
        schoolId: actor.school.id,
        actorId: actor.id,
        action: 'consent.import_refused',
        subject: actor.school.id,
      });
      throw forbidden('Only the school office and the DPO can import the consent register.');
    }
    return importText(svc, actor, await file.read());
  },
};

/** Imports a register CSV for the actor's school: all or nothing, with every bad row named. */
export async function importText(svc: Services, actor: Actor, csv: string): Promise<OutMessage> {
  const { rows, problems } = readRegister(actor.school, csv);
  const now = svc.clock.now();
  if (problems.length) {
    await audit(svc.db, {
      at: now,
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'consent.import_rejected',
      subject: actor.school.id,
      detail: { problems: problems.length },
    });
    return {
      card: svc.cards.render('consent/result', {
        headline: 'Nothing was imported',
        color: 'Attention',
        lines: [
          `The file has ${problems.length} problem(s); fix them and send it again. The register has not changed.`,
          ...problems.slice(0, 15),
          ...(problems.length > 15 ? [`…and ${problems.length - 15} more.`] : []),
        ],
      }),
    };
  }
  const s = await importRegister(svc.db, actor.school, rows, actor.id, now);
  await audit(svc.db, {
    at: now,
    schoolId: actor.school.id,
    actorId: actor.id,
    action: 'consent.imported',
    subject: actor.school.id,
    detail: { ...s, held: s.held.length },
  });
  const held = s.held.slice(0, 20).map((x) => `${x.name}: ${USES[x.use]} (the file says ${x.fileSays ?? 'nothing'})`);
  if (s.held.length > held.length) held.push(`and ${s.held.length - held.length} more`);
  return {
    card: svc.cards.render('consent/result', {
      headline: `Imported ${s.pupils} pupils`,
      color: s.held.length ? 'Warning' : 'Good',
      lines: [
        `${s.added} new, ${s.left} left the school, ${s.given} consents given and ${s.withdrawn} withdrawn since the last import. Imported ${formatSchoolTime(now, actor.school.timezone)}.`,
        ...(s.held.length
          ? [
              `${s.held.length} written withdrawal(s) recorded here still stand, although the file disagrees. Update the MIS, or, if the parent has given consent again in writing, record it here:`,
              ...held,
            ]
          : []),
      ],
    }),
  };
}

const recordForm = (svc: Services): OutMessage => ({
  card: svc.cards.render('consent/record', { uses: USE_KEYS.map((k) => ({ value: k, title: USES[k] })) }),
});

/** The office records a parent's written change; the register import is explained. */
export const consentOfficeFlow: Flow = {
  id: 'consent-office',
  commands: ['record consent', 'import consent', 'consent register'],
  async start(actor, svc) {
    if (!(await svc.directory.holds(actor, [...KEEPERS])))
      throw forbidden(
        'Only the school office and the DPO keep the consent register. To check a pupil, type "photo consent".',
      );
    return recordForm(svc);
  },
  actions: [],
};
