import { ACKNOWLEDGEMENT_SCHEMA } from './schema';
import { z } from 'zod';
import type { RoleKey, SchoolConfig } from '../../config';
import { createHash } from 'node:crypto';
import {
  DAY,
  formatDate,
  formatSchoolTime,
  fromSchoolTime,
  isHoliday,
  isoSchoolTime,
  schoolDate,
  zonedParts,
} from '../../clock';
import type { Actor } from '../../core';
import { toCsv } from '../../csv';
import { AppError, forbidden } from '../../errors';
import { exportLinkMessage } from '../../exports';
import { enqueueSend, supersedeUnsent } from '../../outbox/outbox';
import { addIfAbsent, currentStaff, syncStaffList } from '../../identity/staff';
import { share } from '../termly';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import { policyLibrary } from '../policy';
import { barChart } from '../../png';
import { ACK_INTENTS } from './understands';
import { action, type Flow, type Services } from '../types';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const REPORT_ROLES = ['headteacher', 'dpo'] as const;

/**
 * Something staff confirm: the school's policy (read it, then confirm), or an attestation the
 * school configures (training done, multi-factor sign-in set up). `policyId` names it in the
 * table and on cards; `hash` is its version: a new one asks everyone again.
 */
interface Current {
  kind: 'policy' | 'attestation';
  policyId: string;
  validMonths: number;
  /** Who must confirm: these roles' holders; everyone on the staff list when empty. */
  audience: RoleKey[];
  title: string;
  hash: string;
  rules: string[];
  url?: string;
  /** The version as a person knows it: the school's name for it, or the date the document gives. */
  edition?: string;
  sections: Array<{ title: string; text: string }>;
}

const MONTH_YEAR =
  /\b(?:approved|adopted|agreed|updated|reviewed|revised|issued|dated|version|edition|effective)\b[^\n]{0,80}?\b((?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}|\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})/i;

/** The date a policy gives itself near its start ("Approved by the governing board, September 2026"). */
function ownDate(sections: Array<{ paragraphs: string[] }>): string | undefined {
  const start = sections
    .slice(0, 2)
    .flatMap((s) => s.paragraphs.slice(0, 6))
    .join('\n');
  return MONTH_YEAR.exec(start)?.[1];
}

/** The policy staff confirm, in its current version (its content hash). */
async function currentPolicy(svc: Services, school: SchoolConfig): Promise<Current | undefined> {
  const lib = await policyLibrary(svc, school);
  const id = school.acknowledgement.policy ?? school.policies[0]?.id;
  const doc = lib.policies.find((p) => p.id === id);
  if (!doc) return undefined;
  const rules = school.acknowledgement.keyRules.length
    ? school.acknowledgement.keyRules
    : doc.sections
        // The document's own title heading ("Oakfield Primary School: Information Security Policy") is not a topic.
        .filter((s) => !s.title.toLowerCase().includes(doc.title.toLowerCase()))
        .slice(0, 10)
        .map((s) => s.title);
  const conf = school.policies.find((p) => p.id === id);
  return {
    kind: 'policy',
    policyId: doc.id,
    validMonths: school.acknowledgement.validMonths,
    audience: [],
    title: doc.title,
    hash: doc.hash,
    rules,
    url: conf?.url,
    edition: conf?.edition ?? ownDate(doc.sections),
    sections: doc.sections.map((s) => ({ title: s.title, text: s.paragraphs.join('\n\n').slice(0, 6000) })),
  };
}

/** The school's attestations, as things to confirm. */
function attestations(school: SchoolConfig): Current[] {
  return school.attestations.map((a) => ({
    kind: 'attestation',
    policyId: `attest:${a.id}`,
    validMonths: a.validMonths,
    audience: a.audience,
    title: a.title,
    hash: createHash('sha256').update(`${a.id}\n${a.edition}\n${a.statement}`).digest('hex').slice(0, 16),
    rules: [a.statement],
    url: a.url,
    edition: a.edition || undefined,
    sections: [],
  }));
}

/** Everything the school's staff confirm: the policy (when its confirmation is on), then each attestation. */
async function subjects(svc: Services, school: SchoolConfig): Promise<Current[]> {
  const policy = school.acknowledgement.enabled ? await currentPolicy(svc, school) : undefined;
  return [...(policy ? [policy] : []), ...attestations(school)];
}

/** One thing to confirm by its id: the policy whether or not its weekly asks are on (its card may be open). */
async function subject(svc: Services, school: SchoolConfig, id: string): Promise<Current> {
  const policy = await currentPolicy(svc, school);
  const cur = [...(policy ? [policy] : []), ...attestations(school)].find((c) => c.policyId === id);
  if (!cur) throw new AppError('not_found', 'That is no longer something to confirm.');
  return cur;
}

interface StaffState {
  aad_id: string;
  name: string;
  confirmed_at: number | null;
  unreachable: boolean;
  installed: boolean;
}

/** Everyone who must confirm, with their latest confirmation of this version. */
async function staffStates(svc: Services, db: Db, school: SchoolConfig, cur: Current): Promise<StaffState[]> {
  const confirmed = new Map(
    (
      await db.all<{ aad_id: string; at: number }>(
        'SELECT aad_id, MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND policy_id = ? AND hash = ? GROUP BY aad_id',
        [school.id, cur.policyId, cur.hash],
      )
    ).map((r) => [r.aad_id, Number(r.at)]),
  );
  const reach = await svc.directory.reachability(school.tenantId, db);
  const audience = cur.audience.length
    ? new Set((await svc.directory.holders(school, cur.audience, db)).map((h) => h.aadId))
    : undefined;
  return (await currentStaff(db, school.id))
    .filter((s) => !audience || audience.has(s.aad_id))
    .map((s) => ({
      aad_id: s.aad_id,
      name: s.name,
      confirmed_at: confirmed.get(s.aad_id) ?? null,
      unreachable: reach.get(s.aad_id)?.unreachable ?? false,
      installed: reach.has(s.aad_id),
    }));
}

const validUntil = (cur: Current, at: number) => at + Math.round((cur.validMonths * 365.25 * DAY) / 12);

function card(svc: Services, school: SchoolConfig, cur: Current, confirmedAt?: number): Record<string, unknown> {
  const policy = cur.kind === 'policy';
  return svc.cards.render('acknowledgement/confirm', {
    title: policy ? `Please confirm you have read the ${cur.title}` : `Please confirm: ${cur.title}`,
    version: policy
      ? cur.edition
        ? `${cur.edition} version · ${school.name}`
        : `Version ${cur.hash.slice(0, 8)} (the document does not say its date) · ${school.name}`
      : `${cur.edition ? `${cur.edition} · ` : ''}${school.name} · asked every ${cur.validMonths} months`,
    covers: policy ? 'What it covers' : 'What you confirm',
    urlTitle: policy ? 'Read the whole policy' : 'Open it',
    confirmTitle: policy ? 'I have read and understood it' : 'I confirm this',
    sections: cur.sections.length,
    rules: cur.rules,
    url: cur.url ?? '',
    confirmed: confirmedAt
      ? `Confirmed ${formatSchoolTime(confirmedAt, school.timezone)}. Thank you. You will be asked again in ${cur.validMonths} months${policy ? ' or when the policy changes' : ''}.`
      : '',
    pending: !confirmedAt,
    policyId: cur.policyId,
    hash: cur.hash,
  });
}

/**
 * Brings the staff list up to date. With staff teams configured and read in full, their members
 * are the staff, and anyone else on the list (however they came onto it, the bot included) has
 * left. Without teams, everyone who uses the bot is staff, and nobody can be seen to leave.
 */
async function syncStaff(svc: Services, school: SchoolConfig, now: number): Promise<void> {
  const present = new Map<string, { name: string; source: string }>();
  let rosterComplete = true;
  for (const t of school.acknowledgement.teams) {
    try {
      for (const m of (await svc.teamMembers?.(t.serviceUrl, t.id)) ?? [])
        present.set(m.aadObjectId, { name: m.name, source: 'team' });
    } catch (err) {
      rosterComplete = false; // without a full roster nobody is marked as a leaver
      svc.log.warn({ school: school.id, err: (err as Error).message }, 'team roster could not be read');
    }
  }
  const rosterRules = school.acknowledgement.teams.length > 0 && rosterComplete;
  if (!rosterRules)
    for (const u of await svc.directory.installedUsers(school.tenantId)) {
      if (!present.has(u.aad_id)) present.set(u.aad_id, { name: u.name, source: 'bot' });
    }
  await svc.db.transaction(async (tx) => {
    for (const id of await syncStaffList(tx, school.id, present, rosterRules, now))
      await audit(tx, { at: now, schoolId: school.id, actorId: 'system', action: 'staff.left', subject: id });
  });
}

const ROSTER_EVERY_MS = 3_600_000;

/** The instant of this week's reminder in the school's zone, and the week's key. */
function thisWeeksSlot(school: SchoolConfig, now: number): { at: number; key: string } {
  const { weekday, time } = school.schedules.acknowledgementReminder;
  const p = zonedParts(now, school.timezone);
  const back = (p.weekday - WEEKDAYS.indexOf(weekday) + 7) % 7;
  const d = new Date(`${schoolDate(now, school.timezone)}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - back);
  const day = d.toISOString().slice(0, 10);
  return { at: fromSchoolTime(day, time, school.timezone), key: day };
}

/**
 * Asks people to confirm: at once when they join or the policy changes, and weekly at the school's
 * scheduled time (holidays skipped) while they are outstanding or due soon. Each ask is marked in
 * the same transaction as the message it queues, so it happens once per person, also across
 * restarts and instances. The headteacher gets a weekly digest.
 */
async function tick(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    if (!school.acknowledgement.enabled && !school.attestations.length) continue;
    // Rosters are read at most hourly: a team of thousands is many pages, and joiners can wait that long.
    const synced = svc.memory.map<number>('acknowledgement.rosterSyncedAt');
    if (now - (synced.get(school.id) ?? -Infinity) >= ROSTER_EVERY_MS) {
      await syncStaff(svc, school, now);
      synced.set(school.id, now);
    }
    for (const cur of await subjects(svc, school)) await ask(svc, school, cur, now);
  }
}

/** The asks and the digest of one thing to confirm. */
async function ask(svc: Services, school: SchoolConfig, cur: Current, now: number): Promise<void> {
  const slot = thisWeeksSlot(school, now);
  const weekly = now >= slot.at && !isHoliday(slot.at, school.timezone, school.holidays);
  const states = await staffStates(svc, svc.db, school, cur);
  // The policy keeps the keys it always had; an attestation's carry its name.
  const own = cur.kind === 'policy' ? '' : `:${cur.policyId}`;
  const c = card(svc, school, cur);
  const payload = JSON.stringify({ card: c });
  let queued = 0;
  for (const s of states) {
    const confirmed = s.confirmed_at ?? undefined;
    const expires = confirmed ? validUntil(cur, confirmed) : 0;
    const outstanding = !confirmed || expires <= now;
    const dueSoon = confirmed !== undefined && expires - now <= school.acknowledgement.dueWithinDays * DAY;
    const marks: string[] = [];
    if (outstanding) marks.push(`ack:first:${school.id}:${s.aad_id}:${cur.hash}:${confirmed ?? 0}`);
    if (weekly && (outstanding || dueSoon)) marks.push(`ack:week:${school.id}:${slot.key}:${s.aad_id}${own}`);
    if (!marks.length) continue;
    // One card even when two reasons to ask fall together (a joiner on the weekly day).
    const group = `ack:${school.id}:${s.aad_id}${own}`;
    const sent = await once(svc.db, marks, now, async (tx) => {
      // Only this week's card is owed: one still waiting (the person has not installed the bot,
      // or it is not sent yet) is replaced, so a late installer gets one card, not a pile.
      await supersedeUnsent(tx, group);
      await enqueueSend(
        tx,
        {
          schoolId: school.id,
          tenantId: school.tenantId,
          recipient: { key: s.aad_id, aadId: s.aad_id },
          message: { card: c },
          cardGroup: group,
        },
        now,
        payload,
      );
    });
    if (sent) queued++;
  }
  if (weekly) {
    await once(svc.db, [`ack:digest:${school.id}:${slot.key}${own}`], now, async (tx) => {
      const fresh = await staffStates(svc, tx, school, cur);
      const others = (await subjects(svc, school)).filter((x) => x.policyId !== cur.policyId);
      for (const h of await svc.directory.holders(school, ['headteacher'], tx)) {
        await enqueueSend(
          tx,
          {
            schoolId: school.id,
            tenantId: school.tenantId,
            recipient: h,
            message: { card: reportCard(svc, school, cur, fresh, others, true) },
          },
          now,
        );
      }
    });
  }
  if (queued) svc.log.info({ school: school.id, subject: cur.policyId, queued }, 'acknowledgement cards queued');
}

function reportCard(
  svc: Services,
  school: SchoolConfig,
  cur: Current,
  states: StaffState[],
  others: Current[],
  digest = false,
): Record<string, unknown> {
  const done = states.filter((s) => s.confirmed_at);
  const outstanding = states.filter((s) => !s.confirmed_at);
  const unreachable = outstanding.filter((s) => s.unreachable || !s.installed);
  const pct = states.length ? Math.round((done.length / states.length) * 100) : 0;
  // Completion at the end of each of the last eight weeks, for those who would rather look than read.
  const now = svc.clock.now();
  const weeks = Array.from({ length: 8 }, (_, i) => now - (7 - i) * 7 * DAY);
  const shares = weeks.map((w) =>
    states.length ? states.filter((s) => s.confirmed_at !== null && s.confirmed_at <= w).length / states.length : 0,
  );
  return svc.cards.render('acknowledgement/report', {
    // Teams draws the native chart in the person's theme; a client that cannot (iOS) shows the
    // picture, and everyone gets the figures in words below it.
    weeks: weeks.map((w, i) => ({
      x: formatDate(schoolDate(w, school.timezone)).slice(4, -5),
      y: Math.round(shares[i]! * 100),
    })),
    chart: `data:image/png;base64,${barChart(shares).toString('base64')}`,
    chartAlt: `Share confirmed at the end of each of the last 8 weeks: ${shares.map((x) => `${Math.round(x * 100)}%`).join(', ')}`,
    heading: `${digest ? 'Weekly digest: ' : ''}${cur.title} (${cur.edition ? `${cur.edition}${cur.kind === 'policy' ? ' version' : ''}` : cur.kind === 'policy' ? `version ${cur.hash.slice(0, 8)}` : `every ${cur.validMonths} months`})`,
    subject: cur.policyId,
    others: others.map((o) => ({ title: o.title, subject: o.policyId })),
    summary: states.length
      ? `${school.name}: ${done.length} of ${states.length} staff have confirmed (${pct}%).`
      : `${school.name}: nobody is on the staff list yet. It fills from the staff team's roster (or, without one, from everyone who uses the bot) within the hour.`,
    percent: pct,
    outstanding: outstanding
      .filter((s) => !unreachable.includes(s))
      .slice(0, 40)
      .map((s) => s.name),
    unreachable: unreachable
      .slice(0, 40)
      .map((s) => `${s.name}${s.installed ? ' (cannot be reached)' : ' (has not installed the bot)'}`),
    more: outstanding.length > 80 ? `…and more: export the CSV for the full list.` : '',
  });
}

/**
 * When a person last confirmed any of the school's policies (whatever version), for records that
 * note it (a breach they were involved in). Undefined when the bot has no confirmation from them.
 */
export async function lastConfirmed(db: Db, schoolId: string, aadId: string): Promise<number | undefined> {
  const r = await db.get<{ at: number | null }>(
    'SELECT MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND aad_id = ?',
    [schoolId, aadId],
  );
  return r?.at == null ? undefined : Number(r.at);
}

/** The report on one thing to confirm (the first by default), with buttons to the others. */
async function report(actor: Actor, svc: Services, id?: string) {
  if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
    throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
  const all = await subjects(svc, actor.school);
  const cur = id ? await subject(svc, actor.school, id) : all[0];
  if (!cur) return { text: 'Nothing is set up for staff to confirm.' };
  await audit(svc.db, {
    at: svc.clock.now(),
    schoolId: actor.school.id,
    actorId: actor.id,
    action: 'ack.report_viewed',
    subject: actor.school.id,
    detail: { subject: cur.policyId },
  });
  const states = await staffStates(svc, svc.db, actor.school, cur);
  return {
    card: reportCard(
      svc,
      actor.school,
      cur,
      states,
      all.filter((x) => x.policyId !== cur.policyId),
    ),
  };
}

export const acknowledgementFlow: Flow = {
  id: 'acknowledgement',
  schema: ACKNOWLEDGEMENT_SCHEMA,
  /** Where the policy confirmation stands now, and how many staff the bot cannot reach. */
  async termly(svc, school) {
    const facts: Array<{ label: string; value: string }> = [];
    let unreachable = 0;
    for (const cur of await subjects(svc, school)) {
      const states = await staffStates(svc, svc.db, school, cur);
      facts.push({
        label: cur.kind === 'policy' ? 'Staff who have confirmed the current version' : `Confirmed: ${cur.title}`,
        value: share(
          states.filter((s) => s.confirmed_at && validUntil(cur, s.confirmed_at) > svc.clock.now()).length,
          states.length,
        ),
      });
      unreachable = Math.max(unreachable, states.filter((s) => s.unreachable || !s.installed).length);
    }
    return {
      title: 'Policy confirmation',
      facts: [...facts, { label: 'Staff the bot cannot reach', value: String(unreachable) }],
    };
  },
  commands: ['acknowledgements', 'acknowledgement report', 'policy confirmations'],
  start: (actor, svc) => report(actor, svc),
  understands: () => ACK_INTENTS,
  /** "Have I confirmed the policy?": the person's own card, confirmed or waiting; the report for those who see it. */
  async onIntent(actor, u, svc) {
    if (u.intent === 'acknowledgement.report' && (await svc.directory.holds(actor, [...REPORT_ROLES])))
      return report(actor, svc);
    const cur = (await currentPolicy(svc, actor.school)) ?? attestations(actor.school)[0];
    if (!cur) return { text: `${actor.school.name} has not set up a policy to confirm.` };
    const last = await svc.db.get<{ at: number | null }>(
      'SELECT MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND aad_id = ? AND policy_id = ? AND hash = ?',
      [actor.school.id, actor.id, cur.policyId, cur.hash],
    );
    const valid = last?.at && validUntil(cur, Number(last.at)) > svc.clock.now() ? Number(last.at) : undefined;
    return { card: card(svc, actor.school, cur, valid) };
  },
  actions: [
    // Reading the policy in the chat, a section at a time, before confirming it.
    action(
      'acknowledgement.read',
      z.object({ policyId: z.string().max(60), section: z.number().int().min(-1).max(500) }).strict(),
      async (actor, d, svc) => {
        const cur = await subject(svc, actor.school, d.policyId);
        const s = cur.sections[d.section];
        if (!s) return { card: card(svc, actor.school, cur) };
        const next = cur.sections[d.section + 1];
        return {
          card: svc.cards.render('acknowledgement/read', {
            heading: `${cur.title}: section ${d.section + 1} of ${cur.sections.length}`,
            title: s.title,
            text: s.text,
            policyId: cur.policyId,
            hash: cur.hash,
            next: next ? d.section + 1 : -1,
            nextTitle: next ? `Next: ${next.title}` : '',
            previous: d.section - 1,
            last: !next,
          }),
        };
      },
    ),
    action(
      'acknowledgement.confirm',
      z.object({ policyId: z.string().max(60), hash: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        const cur = await subject(svc, school, d.policyId);
        if (cur.hash !== d.hash) return { card: card(svc, school, cur) }; // an old version's card: show the current one to read
        const now = svc.clock.now();
        await svc.db.transaction(async (tx) => {
          await addIfAbsent(tx, school.id, actor.id, actor.name, now);
          await tx.run('INSERT INTO acknowledgements (school_id, aad_id, policy_id, hash, at) VALUES (?, ?, ?, ?, ?)', [
            school.id,
            actor.id,
            cur.policyId,
            cur.hash,
            now,
          ]);
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: actor.id,
            action: 'ack.confirmed',
            subject: cur.policyId,
            detail: { hash: cur.hash },
          });
        });
        return { card: card(svc, school, cur, now) };
      },
    ),
    action(
      'acknowledgement.export',
      z.object({ subject: z.string().max(60).optional() }).strict(),
      async (actor, d, svc) => {
        if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
          throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
        const cur = await subject(
          svc,
          actor.school,
          d.subject ?? (await subjects(svc, actor.school))[0]?.policyId ?? '',
        );
        return exportLinkMessage(svc, actor, `acknowledgements:${cur.policyId}`, `${cur.title}: export`, 'the list');
      },
    ),
    action('acknowledgement.report', z.object({ subject: z.string().max(60) }).strict(), (actor, d, svc) =>
      report(actor, svc, d.subject),
    ),
  ],
  tick,
  exports: {
    acknowledgements: async (svc, actor: Actor, arg) => {
      if (!(await svc.directory.holds(actor, [...REPORT_ROLES]))) throw new AppError('forbidden', 'not allowed');
      const cur = await subject(svc, actor.school, arg ?? '');
      const rows: Array<Array<string>> = [['Name', 'Confirmed', 'Valid until', 'Reachable']];
      for (const s of await staffStates(svc, svc.db, actor.school, cur)) {
        rows.push([
          s.name,
          s.confirmed_at ? isoSchoolTime(s.confirmed_at, actor.school.timezone) : '',
          s.confirmed_at ? isoSchoolTime(validUntil(cur, s.confirmed_at), actor.school.timezone) : '',
          s.unreachable ? 'No: cannot be reached' : s.installed ? 'Yes' : 'No: has not installed the bot',
        ]);
      }
      return { filename: `${cur.policyId.replace(/[^a-z0-9-]+/gi, '-')}-${actor.school.id}.csv`, csv: toCsv(rows) };
    },
  },
};

/** "Attestations": the report on the school's first attestation, with the others (and the policy) a click away. */
export const attestationsFlow: Flow = {
  id: 'attestations',
  commands: ['attestations', 'training confirmations'],
  start: async (actor, svc) => report(actor, svc, attestations(actor.school)[0]?.policyId),
  actions: [],
};
