import { ACKNOWLEDGEMENT_SCHEMA } from './schema';
import { z } from 'zod';
import type { SchoolConfig } from '../../config';
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

interface Current {
  policyId: string;
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
    policyId: doc.id,
    title: doc.title,
    hash: doc.hash,
    rules,
    url: conf?.url,
    edition: conf?.edition ?? ownDate(doc.sections),
    sections: doc.sections.map((s) => ({ title: s.title, text: s.paragraphs.join('\n\n').slice(0, 6000) })),
  };
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
  return (await currentStaff(db, school.id)).map((s) => ({
    aad_id: s.aad_id,
    name: s.name,
    confirmed_at: confirmed.get(s.aad_id) ?? null,
    unreachable: reach.get(s.aad_id)?.unreachable ?? false,
    installed: reach.has(s.aad_id),
  }));
}

const validUntil = (school: SchoolConfig, at: number) =>
  at + Math.round((school.acknowledgement.validMonths * 365.25 * DAY) / 12);

function card(svc: Services, school: SchoolConfig, cur: Current, confirmedAt?: number): Record<string, unknown> {
  return svc.cards.render('acknowledgement/confirm', {
    title: `Please confirm you have read the ${cur.title}`,
    version: cur.edition
      ? `${cur.edition} version · ${school.name}`
      : `Version ${cur.hash.slice(0, 8)} (the document does not say its date) · ${school.name}`,
    sections: cur.sections.length,
    rules: cur.rules,
    url: cur.url ?? '',
    confirmed: confirmedAt
      ? `Confirmed ${formatSchoolTime(confirmedAt, school.timezone)}. Thank you. You will be asked again in ${school.acknowledgement.validMonths} months or when the policy changes.`
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
    if (!school.acknowledgement.enabled) continue;
    const cur = await currentPolicy(svc, school);
    if (!cur) continue;
    // Rosters are read at most hourly: a team of thousands is many pages, and joiners can wait that long.
    const synced = svc.memory.map<number>('acknowledgement.rosterSyncedAt');
    if (now - (synced.get(school.id) ?? -Infinity) >= ROSTER_EVERY_MS) {
      await syncStaff(svc, school, now);
      synced.set(school.id, now);
    }
    const slot = thisWeeksSlot(school, now);
    const weekly = now >= slot.at && !isHoliday(slot.at, school.timezone, school.holidays);
    const states = await staffStates(svc, svc.db, school, cur);
    const lastValid = new Map(
      (
        await svc.db.all<{ aad_id: string; at: number }>(
          'SELECT aad_id, MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND policy_id = ? AND hash = ? GROUP BY aad_id',
          [school.id, cur.policyId, cur.hash],
        )
      ).map((r) => [r.aad_id, r.at]),
    );
    const c = card(svc, school, cur);
    const payload = JSON.stringify({ card: c });
    let queued = 0;
    for (const s of states) {
      const confirmed = lastValid.get(s.aad_id);
      const expires = confirmed ? validUntil(school, confirmed) : 0;
      const outstanding = !confirmed || expires <= now;
      const dueSoon = confirmed !== undefined && expires - now <= school.acknowledgement.dueWithinDays * DAY;
      const marks: string[] = [];
      if (outstanding) marks.push(`ack:first:${school.id}:${s.aad_id}:${cur.hash}:${confirmed ?? 0}`);
      if (weekly && (outstanding || dueSoon)) marks.push(`ack:week:${school.id}:${slot.key}:${s.aad_id}`);
      if (!marks.length) continue;
      // One card even when two reasons to ask fall together (a joiner on the weekly day).
      const group = `ack:${school.id}:${s.aad_id}`;
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
      await once(svc.db, [`ack:digest:${school.id}:${slot.key}`], now, async (tx) => {
        const fresh = await staffStates(svc, tx, school, cur);
        for (const h of await svc.directory.holders(school, ['headteacher'], tx)) {
          await enqueueSend(
            tx,
            {
              schoolId: school.id,
              tenantId: school.tenantId,
              recipient: h,
              message: { card: reportCard(svc, school, cur, fresh, true) },
            },
            now,
          );
        }
      });
    }
    if (queued) svc.log.info({ school: school.id, queued }, 'acknowledgement cards queued');
  }
}

function reportCard(
  svc: Services,
  school: SchoolConfig,
  cur: Current,
  states: StaffState[],
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
    heading: `${digest ? 'Weekly digest: ' : ''}${cur.title} (${cur.edition ? `${cur.edition} version` : `version ${cur.hash.slice(0, 8)}`})`,
    summary: `${school.name}: ${done.length} of ${states.length} staff have confirmed (${pct}%).`,
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

export const acknowledgementFlow: Flow = {
  id: 'acknowledgement',
  schema: ACKNOWLEDGEMENT_SCHEMA,
  /** Where the policy confirmation stands now, and how many staff the bot cannot reach. */
  async termly(svc, school) {
    const cur = await currentPolicy(svc, school);
    const states = cur ? await staffStates(svc, svc.db, school, cur) : [];
    return {
      title: 'Policy confirmation',
      facts: [
        {
          label: 'Staff who have confirmed the current version',
          value: share(states.filter((s) => s.confirmed_at).length, states.length),
        },
        {
          label: 'Staff the bot cannot reach',
          value: String(states.filter((s) => s.unreachable || !s.installed).length),
        },
      ],
    };
  },
  commands: ['acknowledgements', 'acknowledgement report', 'policy confirmations'],
  async start(actor, svc) {
    if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
      throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
    const cur = await currentPolicy(svc, actor.school);
    if (!cur) return { text: 'No policy is set up for acknowledgement.' };
    await audit(svc.db, {
      at: svc.clock.now(),
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'ack.report_viewed',
      subject: actor.school.id,
    });
    return { card: reportCard(svc, actor.school, cur, await staffStates(svc, svc.db, actor.school, cur)) };
  },
  understands: () => ACK_INTENTS,
  /** "Have I confirmed the policy?": the person's own card, confirmed or waiting; the report for those who see it. */
  async onIntent(actor, u, svc) {
    if (u.intent === 'acknowledgement.report' && (await svc.directory.holds(actor, [...REPORT_ROLES])))
      return acknowledgementFlow.start!(actor, svc);
    const cur = await currentPolicy(svc, actor.school);
    if (!cur) return { text: `${actor.school.name} has not set up a policy to confirm.` };
    const last = await svc.db.get<{ at: number | null }>(
      'SELECT MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND aad_id = ? AND policy_id = ? AND hash = ?',
      [actor.school.id, actor.id, cur.policyId, cur.hash],
    );
    const valid = last?.at && validUntil(actor.school, last.at) > svc.clock.now() ? last.at : undefined;
    return { card: card(svc, actor.school, cur, valid) };
  },
  actions: [
    // Reading the policy in the chat, a section at a time, before confirming it.
    action(
      'ack.read',
      z.object({ policyId: z.string().max(40), section: z.number().int().min(-1).max(500) }).strict(),
      async (actor, d, svc) => {
        const cur = await currentPolicy(svc, actor.school);
        if (!cur || cur.policyId !== d.policyId)
          throw new AppError('not_found', 'That policy is no longer the one to confirm.');
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
      'ack.confirm',
      z.object({ policyId: z.string().max(40), hash: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        const cur = await currentPolicy(svc, school);
        if (!cur || cur.policyId !== d.policyId)
          throw new AppError('not_found', 'That policy is no longer the one to confirm.');
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
    action('ack.export', z.object({}).strict(), async (actor, _d, svc) => {
      if (!(await svc.directory.holds(actor, [...REPORT_ROLES])))
        throw forbidden('The acknowledgement report is for the headteacher and the DPO.');
      return exportLinkMessage(svc, actor, 'acknowledgements', 'Acknowledgements export', 'the list');
    }),
  ],
  tick,
  exports: {
    acknowledgements: async (svc, actor: Actor) => {
      if (!(await svc.directory.holds(actor, [...REPORT_ROLES]))) throw new AppError('forbidden', 'not allowed');
      const cur = (await currentPolicy(svc, actor.school))!;
      const rows: Array<Array<string>> = [['Name', 'Confirmed', 'Valid until', 'Reachable']];
      for (const s of await staffStates(svc, svc.db, actor.school, cur)) {
        rows.push([
          s.name,
          s.confirmed_at ? isoSchoolTime(s.confirmed_at, actor.school.timezone) : '',
          s.confirmed_at ? isoSchoolTime(validUntil(actor.school, s.confirmed_at), actor.school.timezone) : '',
          s.unreachable ? 'No: cannot be reached' : s.installed ? 'Yes' : 'No: has not installed the bot',
        ]);
      }
      return { filename: `acknowledgements-${actor.school.id}.csv`, csv: toCsv(rows) };
    },
  },
};
