// The weekly asks: staff list kept in step with the roster, reminders while owed, the headteacher's digest.
import type { SchoolConfig } from '../../config';
import { DAY, fromSchoolTime, isHoliday, schoolDate, zonedParts } from '../../clock';
import { enqueueSend, supersedeUnsent } from '../../outbox/outbox';
import { syncStaffList } from '../../identity/staff';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import { type Services } from '../types';
import { type Current, staffStates, subjects, validUntil } from './subjects';
import { card, reportCard } from './views';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Brings the staff list up to date. With staff teams configured and read in full, their members
 * are the staff, and anyone else on the list (however they came onto it, the bot included) has
 * left. Without teams, everyone who uses the bot is staff, and nobody can be seen to leave.
 */
export async function syncStaff(svc: Services, school: SchoolConfig, now: number): Promise<void> {
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
/** How long after its time a weekly slot is still sent (a restart or an outage the same day). */
const SLOT_CATCH_UP_MS = DAY;

/** The instant of this week's reminder in the school's zone, and the week's key. */
export function thisWeeksSlot(school: SchoolConfig, now: number): { at: number; key: string } {
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
export async function tick(svc: Services): Promise<void> {
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
export async function ask(svc: Services, school: SchoolConfig, cur: Current, now: number): Promise<void> {
  const slot = thisWeeksSlot(school, now);
  // A slot missed for a day or more (the bot was down, or is new this week) waits for next week's:
  // a "weekly" card on a Friday for the Monday gone by is noise, and a new school's first chat
  // would open with a pile of them.
  const weekly =
    now >= slot.at && now - slot.at < SLOT_CATCH_UP_MS && !isHoliday(slot.at, school.timezone, school.holidays);
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
