// Answering a consent question: one pupil or a whole class for one use, each look-up counted and audited.
import type { Actor, OutMessage } from '../../core';
import { badInput, forbidden } from '../../errors';
import { ConsentIndex, type IndexedPupil } from './lookup';
import { USES, registerVersion, type UseKey } from './register';
import { audit, countActions, lockAuditChain, type AuditEntry } from '../../store/audit';
import { type Services } from '../types';

/** The school's register in memory; reloaded when another change (here or on another instance) bumped its version. */
export async function registerIndex(svc: Services, schoolId: string): Promise<ConsentIndex> {
  const m = svc.memory.map<ConsentIndex>('consent.indexes');
  const version = await registerVersion(svc.db, schoolId);
  let idx = m.get(schoolId);
  if (!idx || idx.version !== version) m.set(schoolId, (idx = await ConsentIndex.load(svc.db, schoolId)));
  return idx;
}

export const KEEPERS = ['office', 'dpo'] as const;
export const NAME_RULE = "Never put a pupil's full name beside their image, in print or online.";
export const useTitle = (u: UseKey) => USES[u];
/** A pupil's year as the register has it: "Year 4" for a number, a stage as written ("P6", "S2"). */
const yearGroup = (year: string) => (/^\d+$/.test(year.trim()) ? `Year ${year}` : year);

/**
 * Records one look-up, or refuses it beyond the school's hourly limit (a guard against trawling
 * the register). The count and the record are one step (the school's audit chain is locked while
 * they happen), so look-ups made at the same moment cannot pass the limit together.
 */
export async function recordLookup(
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

/** Whether a pupil may appear for every use named (a video for the website needs both). */
const allowed = (p: IndexedPupil, uses: UseKey[]) => uses.every((u) => p.consents.get(u)?.status === 'yes');
const usesTitle = (uses: UseKey[]) => (uses.length > 1 ? 'each of ' : '') + uses.map(useTitle).join('; ');

/**
 * The answer for one pupil. For several uses ("a class video for the website") the first not
 * allowed answers, and a line says how each stands: each use needs its own consent.
 */
export function resultFor(svc: Services, p: IndexedPupil, uses: UseKey[]): OutMessage {
  const use = uses.find((u) => p.consents.get(u)?.status !== 'yes') ?? uses[0]!;
  const c = p.consents.get(use);
  const who = `${p.first} ${p.surname} (${yearGroup(p.year)}, ${p.group})`;
  const date = c?.recordedOn ? ` (recorded ${c.recordedOn.split('-').reverse().join('/')})` : '';
  const [headline, color, line] =
    c?.status === 'yes'
      ? [
          `Yes: consent is given for ${usesTitle(uses)}`,
          'Good',
          `${who} may appear in images for ${usesTitle(uses)}${date}.`,
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
  const status = (u: UseKey) => p.consents.get(u)?.status ?? 'not recorded';
  const each =
    uses.length > 1 && c?.status !== 'yes'
      ? [`Each use needs its own consent: ${uses.map((u) => `${useTitle(u)}, ${status(u)}`).join('; ')}.`]
      : [];
  return resultCard(svc, headline, color, [line, ...each, NAME_RULE]);
}

/** The consent flow's one-card reply: a headline in a colour (Good, Warning, Attention) over some lines. */
export function resultCard(svc: Services, headline: string, color: string, lines: string[]): OutMessage {
  return { card: svc.cards.render('consent/result', { headline, color, lines }) };
}

export async function checkPupil(
  svc: Services,
  actor: Actor,
  name: string,
  use: UseKey | UseKey[],
  group?: string,
  pupilId?: string,
): Promise<OutMessage> {
  const uses = [use].flat();
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
    await recordLookup(svc, actor, {
      at: now,
      action: 'consent.lookup',
      subject: p.id,
      detail: { use: uses.join(',') },
    });
    return resultFor(svc, p, uses);
  }
  await recordLookup(svc, actor, {
    at: now,
    action: 'consent.search',
    subject: school.id,
    detail: { use: uses.join(','), matches: matches.length },
  });
  if (!matches.length)
    return resultCard(svc, 'No pupil found', 'Warning', [
      `No current pupil matches "${name}". Check the spelling, or add their class.`,
    ]);
  if (matches.length > 6)
    return resultCard(svc, 'Too many pupils match', 'Warning', [
      `${matches.length} pupils match "${name}". Add more of the name, or their class or year.`,
    ]);
  return {
    card: svc.cards.render('consent/choose', {
      heading: 'Which pupil?',
      items: matches.map((p) => ({
        label: `${p.first} ${p.surname}`,
        detail: `${yearGroup(p.year)}, ${p.group}`,
        pupilId: p.id,
        name: `${p.first} ${p.surname}`,
        use: uses.join(','),
      })),
    }),
  };
}

export async function checkGroup(
  svc: Services,
  actor: Actor,
  group: string,
  use: UseKey | UseKey[],
): Promise<OutMessage> {
  const uses = [use].flat();
  const idx = await registerIndex(svc, actor.school.id);
  const pupils = idx.group(group);
  await recordLookup(svc, actor, {
    at: svc.clock.now(),
    action: 'consent.group_lookup',
    subject: group.slice(0, 40),
    detail: { use: uses.join(','), pupils: pupils.length },
  });
  if (!pupils.length)
    return resultCard(svc, 'No such class or year', 'Warning', [
      `No current pupils are in "${group}". Use the class as the register shows it (e.g. 4B) or "Year 4".`,
    ]);
  const not = pupils.filter((p) => !allowed(p, uses)).sort((a, b) => a.surname.localeCompare(b.surname));
  const unrecorded = (p: IndexedPupil) => uses.some((u) => !p.consents.get(u));
  return {
    card: svc.cards.render('consent/group', {
      heading: `${group}: ${usesTitle(uses)}`,
      summary: `${pupils.length - not.length} of ${pupils.length} may appear. ${not.length ? `These ${not.length} must not (no consent, or none recorded):` : 'Every pupil has consent.'}`,
      pupils: not.map((p) => `${p.first} ${p.surname} (${p.group})${unrecorded(p) ? ': not recorded' : ''}`),
      rule: NAME_RULE,
    }),
  };
}
