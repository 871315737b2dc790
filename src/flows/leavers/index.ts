import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addDays, DAY, formatDate, formatSchoolTime, schoolDate } from '../../clock';
import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../../config';
import type { Actor, OutMessage } from '../../core';
import { badInput, forbidden, notFound } from '../../errors';
import { currentStaff, leftSince } from '../../identity/staff';
import { actOnTask, refreshTask, sendTask } from '../../outbox/tasks';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import { daysAway } from '../../language/dates';
import { devicesOf } from '../device';
import { action, type Flow, type Services } from '../types';
import { LEAVERS_SCHEMA } from './schema';
import { LEAVER_INTENTS } from './understands';

/** Who says someone is leaving; who works through the checklist (the headteacher too, once it is late). */
const MARKERS: RoleKey[] = ['office', 'headteacher', 'sbm'];
const DOERS: RoleKey[] = ['it', 'headteacher'];
/** What the policies ask when someone leaves, in the order IT works through it. */
const CHECKS = {
  accounts: 'Accounts disabled: email, MIS, Wi-Fi and cloud services',
  equipment: 'School equipment returned',
  devices: 'School data removed from their own devices',
  roles: 'Their roles, and anything waiting for them, handed over',
} as const;
type CheckKey = keyof typeof CHECKS;
const KEYS = Object.keys(CHECKS) as CheckKey[];
/** Accounts closed within a week of the last day; IT is reminded half-way, the headteacher told at the end. */
const DUE_DAYS = 7;
const REMIND_DAYS = 3;
/** A person gone from the staff roster this recently gets a checklist (older leavers predate the bot). */
const ROSTER_LOOKBACK_DAYS = 30;

interface Row {
  id: string;
  school_id: string;
  aad_id: string;
  name: string;
  leaving_on: string;
  source: 'roster' | 'marked';
  equipment: string;
  marked_by_name: string | null;
  created_at: number;
  tasked_at: number | null;
  checks: string;
  done_at: number | null;
}
type Checks = Partial<Record<CheckKey, { byName: string; at: number }>>;

const group = (r: Row) => `leaver:${r.id}`;
const dueOn = (r: Row) => addDays(r.leaving_on, DUE_DAYS);

async function load(db: Db, school: SchoolConfig, id: string): Promise<Row> {
  const r = await db.get<Row>('SELECT * FROM leavers WHERE id = ? AND school_id = ?', [id, school.id]);
  if (!r) throw notFound('That leaver was not found.');
  return r;
}

/** What IT needs to see under each point: the leaver's devices from the register, the roles they hold. */
async function facts(svc: Services, db: Db, school: SchoolConfig, r: Row): Promise<Record<CheckKey, string[]>> {
  const devices = await devicesOf(db, school.id, r.aad_id);
  const person: Actor = { id: r.aad_id, tenantId: school.tenantId, name: r.name, school };
  const roles = await svc.directory.rolesOf(person, db);
  return {
    accounts: [`By ${formatDate(dueOn(r))}: an account left open after someone leaves is a way in for anyone.`],
    equipment: [r.equipment ? `Recorded: ${r.equipment}` : 'Nothing recorded: ask them, and check the school’s list.'],
    devices: devices.length
      ? devices.map(
          (d) =>
            `${d.ref} ${d.device}: ${d.removedAt ? `removal confirmed by them, ${formatSchoolTime(d.removedAt, school.timezone)}` : 'not confirmed yet (they have been asked)'}`,
        )
      : ['No personal device of theirs is approved for school data.'],
    roles: roles.length
      ? [
          `In the bot they hold: ${roles.map((x) => ROLE_TITLES[x]).join(', ')}. Name someone else in the school's configuration, and cards waiting for them go to that person.`,
        ]
      : ['They hold no role in the bot.'],
  };
}

async function taskCard(
  svc: Services,
  db: Db,
  school: SchoolConfig,
  r: Row,
  opts: { banner?: string; back?: string } = {},
): Promise<Record<string, unknown>> {
  const checks = JSON.parse(r.checks) as Checks;
  const detail = await facts(svc, db, school, r);
  const today = schoolDate(svc.clock.now(), school.timezone);
  const late = !r.done_at && today > dueOn(r);
  return svc.cards.render('leavers/task', {
    id: r.id,
    banner: opts.banner ?? '',
    back: opts.back ?? '',
    title: `${r.name} is leaving: last day ${formatDate(r.leaving_on)}`,
    clock: r.done_at
      ? `All done, ${formatSchoolTime(r.done_at, school.timezone)}.`
      : `Everything below by ${formatDate(dueOn(r))}${late ? ': that day has passed' : ''}.`,
    clockColor: r.done_at ? 'Good' : late ? 'Attention' : 'Warning',
    open: !r.done_at,
    items: KEYS.map((k) => ({
      key: k,
      title: CHECKS[k],
      done: Boolean(checks[k]),
      mark: checks[k] ? '✓' : '○',
      lines: [
        ...detail[k],
        ...(checks[k] ? [`Done by ${checks[k]!.byName}, ${formatSchoolTime(checks[k]!.at, school.timezone)}`] : []),
      ],
    })),
  });
}

function formCard(svc: Services, staff: Array<{ aad_id: string; name: string }>, values: Record<string, string>) {
  return svc.cards.render('leavers/form', {
    error: '',
    person: '',
    leavingOn: '',
    equipment: '',
    ...values,
    staff: staff.map((s) => ({ id: s.aad_id, name: s.name })),
  });
}

const NewLeaver = z
  .object({
    person: z.string({ required_error: 'pick the person' }).min(1, 'pick the person').max(100),
    leavingOn: z.string({ required_error: 'give their last day' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'give a date'),
    equipment: z.string().trim().max(1000).optional(),
  })
  .strict();

/** Who may be picked: the staff list, and anyone who uses the bot (the list is empty without a roster). */
async function people(svc: Services, school: SchoolConfig): Promise<Array<{ aad_id: string; name: string }>> {
  const all = new Map((await currentStaff(svc.db, school.id)).map((s) => [s.aad_id, s]));
  for (const u of await svc.directory.installedUsers(school.tenantId)) if (!all.has(u.aad_id)) all.set(u.aad_id, u);
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function mayMark(svc: Services, actor: Actor): Promise<void> {
  if (!(await svc.directory.holds(actor, MARKERS)))
    throw forbidden('Leavers are recorded by the office, the School Business Manager or the headteacher.');
}

/** Stores a leaver once (the same person and last day again changes nothing). */
async function record(
  svc: Services,
  tx: Db,
  school: SchoolConfig,
  who: { aad_id: string; name: string },
  leavingOn: string,
  how: { source: Row['source']; by?: Actor; equipment?: string },
): Promise<boolean> {
  const now = svc.clock.now();
  const id = randomUUID();
  const added = await tx.run(
    `INSERT INTO leavers (id, school_id, aad_id, name, leaving_on, source, equipment, marked_by_name, created_at, checks)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}') ON CONFLICT (school_id, aad_id, leaving_on) DO NOTHING`,
    [id, school.id, who.aad_id, who.name, leavingOn, how.source, how.equipment ?? '', how.by?.name ?? null, now],
  );
  if (added.changes)
    await audit(tx, {
      at: now,
      schoolId: school.id,
      actorId: how.by?.id ?? 'system',
      action: 'leaver.recorded',
      subject: id,
      detail: { source: how.source, leavingOn },
    });
  return added.changes > 0;
}

/** "A, B and C". */
const IN_A_LIST = new Intl.ListFormat('en-GB', { type: 'conjunction' });

/**
 * What a member of staff who is leaving does before they go, from the same checks IT works through
 * (CHECKS), as they apply to them: their own devices the school approved, by name, and the roles
 * they hold in the bot.
 */
async function ownChecklist(actor: Actor, svc: Services) {
  const school = actor.school;
  const lines = [
    `Tell the school office your last day, if they do not know it yet: IT closes your accounts (email, MIS, Wi-Fi and cloud services) within ${DUE_DAYS} days of it.`,
    'Give back everything the school lent you (laptop, iPad, memory sticks, other equipment) to the IT technician.',
  ];
  const devices = (await devicesOf(svc.db, school.id, actor.id)).filter((d) => !d.removedAt);
  lines.push(
    devices.length
      ? `Remove school email, files and apps from your own devices the school approved, and tell IT you have: ${devices.map((d) => `${d.device} (${d.ref})`).join(', ')}.`
      : 'If you used your own phone, tablet or laptop for school work, remove school email, files and apps from it, and tell IT you have.',
  );
  const roles = await svc.directory.rolesOf(actor);
  if (roles.length)
    lines.push(
      `You are the school's ${IN_A_LIST.format(roles.map((r) => ROLE_TITLES[r]))} in the bot: before you go, someone else must be named in the bot's configuration (whoever looks after the bot for the school changes it), and anything waiting for you handed over ("waiting for me" lists it).`,
    );
  lines.push('Personal data about pupils, families and staff stays with the school: take no copies with you.');
  return {
    card: svc.cards.render('common/notice', { title: `Before you leave ${school.name}`, color: 'Default', lines }),
  };
}

/**
 * The form to record a leaver, for those who may. Told in words ("Mrs Teacher is leaving on
 * Friday"), it comes with the person (the one on the list whose surname is named) and the day (a
 * date to come) filled in.
 */
async function recordForm(actor: Actor, svc: Services, said = ''): Promise<OutMessage> {
  await mayMark(svc, actor);
  const staff = await people(svc, actor.school);
  const words = new Set(said.toLowerCase().match(/[\p{L}'’-]+/gu) ?? []);
  const named = staff.filter((s) => words.has(s.name.toLowerCase().split(/\s+/).at(-1)!));
  const values: Record<string, string> = {};
  if (named.length === 1) values.person = named[0]!.aad_id;
  const day = said && daysAway(said, schoolDate(svc.clock.now(), actor.school.timezone)).until;
  if (day) values.leavingOn = day;
  return { card: formCard(svc, staff, values) };
}

/**
 * People leaving the school. The office (or the roster, when someone is gone from it) records a
 * leaver; on their last day IT gets a checklist that the policies ask for, with a week's clock.
 */
export const leaversFlow: Flow = {
  id: 'leavers',
  schema: LEAVERS_SCHEMA,
  commands: ['leaver', 'leavers', 'someone is leaving', 'staff leaving', 'record a leaver'],
  understands: () => LEAVER_INTENTS,
  // Someone else leaving is recorded by the office (and refused to others, who are told who does it).
  onIntent: (actor, u, svc) =>
    u.intent === 'leavers.record' ? recordForm(actor, svc, u.text) : ownChecklist(actor, svc),
  start: (actor, svc) => recordForm(actor, svc),
  actions: [
    action('leavers.save', NewLeaver, async (actor, d, svc) => {
      await mayMark(svc, actor);
      const school = actor.school;
      const staff = await people(svc, school);
      const again = (error: string) => ({
        card: formCard(svc, staff, { person: d.person, leavingOn: d.leavingOn, equipment: d.equipment ?? '', error }),
      });
      const who = staff.find((s) => s.aad_id === d.person);
      if (!who) return again('That person is not on the list: pick them from it.');
      const today = schoolDate(svc.clock.now(), school.timezone);
      if (d.leavingOn < addDays(today, -ROSTER_LOOKBACK_DAYS))
        return again('That day is more than a month ago: give their real last day, or tell IT directly.');
      const added = await svc.db.transaction((tx) =>
        record(svc, tx, school, who, d.leavingOn, { source: 'marked', by: actor, equipment: d.equipment }),
      );
      if (!added) throw badInput(`${who.name} is already recorded as leaving on ${formatDate(d.leavingOn)}.`);
      await advance(svc, school, svc.clock.now());
      svc.deliver();
      return {
        text:
          d.leavingOn <= today
            ? `Recorded: ${who.name} left on ${formatDate(d.leavingOn)}. IT has their checklist now.`
            : `Recorded: ${who.name} leaves on ${formatDate(d.leavingOn)}. IT gets their checklist that day.`,
      };
    }),
    action('leavers.open', z.object({ id: z.string().uuid() }).strict(), async (actor, d, svc) => {
      if (!(await svc.directory.holds(actor, DOERS))) throw forbidden("Leavers' checklists are for IT.");
      const r = await load(svc.db, actor.school, d.id);
      return { card: await taskCard(svc, svc.db, actor.school, r, { back: 'waiting' }) };
    }),
    action(
      'leavers.check',
      z
        .object({
          id: z.string().uuid(),
          ...Object.fromEntries(KEYS.map((k) => [k, z.enum(['true', 'false']).optional()])),
        })
        .strict(),
      async (actor, d, svc) => {
        const school = actor.school;
        const now = svc.clock.now();
        const r0 = await load(svc.db, school, d.id);
        const ticked = KEYS.filter((k) => (d as Record<string, unknown>)[k] === 'true');
        const fresh = await actOnTask({ db: svc.db, directory: svc.directory, now }, actor, {
          roles: DOERS,
          subject: r0.id,
          refused: {
            action: 'leaver.refused',
            message: "Only IT (or the headteacher) works through a leaver's checklist.",
          },
          act: async (tx) => {
            const r = await load(tx, school, d.id);
            if (r.done_at || !ticked.length) return { row: r, changed: false };
            const checks = JSON.parse(r.checks) as Checks;
            for (const k of ticked) checks[k] ??= { byName: actor.name, at: now };
            const done = KEYS.every((k) => checks[k]);
            // Guarded by the checks as read: two people ticking at once do not overwrite each other.
            const won = await tx.run(
              'UPDATE leavers SET checks = ?, done_at = ? WHERE id = ? AND checks = ? AND done_at IS NULL',
              [JSON.stringify(checks), done ? now : null, r.id, r.checks],
            );
            if (!won.changes) return { row: await load(tx, school, d.id), changed: false };
            await audit(tx, {
              at: now,
              schoolId: school.id,
              actorId: actor.id,
              action: done ? 'leaver.done' : 'leaver.checked',
              subject: r.id,
              detail: { checks: ticked },
            });
            return { row: await load(tx, school, d.id), changed: true };
          },
        });
        const card = await taskCard(svc, svc.db, school, fresh.row);
        if (fresh.changed) {
          await svc.db.transaction((tx) => refreshTask(tx, { school, group: group(fresh.row) }, card, now));
          svc.deliver();
        }
        return { card };
      },
    ),
  ],
  /** Checklists not yet done, for IT (and the headteacher once one is late). */
  async waiting(actor, svc) {
    const school = actor.school;
    const it = await svc.directory.holds(actor, ['it']);
    const head = await svc.directory.holds(actor, ['headteacher']);
    if (!it && !head) return [];
    const today = schoolDate(svc.clock.now(), school.timezone);
    const rows = await svc.db.all<Row>(
      'SELECT * FROM leavers WHERE school_id = ? AND done_at IS NULL AND tasked_at IS NOT NULL ORDER BY leaving_on',
      [school.id],
    );
    return rows
      .filter((r) => it || today > dueOn(r))
      .map((r) => ({
        kind: 'leaver' as const,
        id: r.id,
        ref: 'Leaver',
        summary: `${r.name}, last day ${formatDate(r.leaving_on)}`,
        state: `${KEYS.filter((k) => (JSON.parse(r.checks) as Checks)[k]).length} of ${KEYS.length} done · due ${formatDate(dueOn(r))}`,
        since: r.tasked_at!,
      }));
  },
  async tick(svc) {
    for (const school of svc.config.file.schools) await advance(svc, school, svc.clock.now());
  },
};

/**
 * Records those gone from the staff roster, sends IT each checklist on the last day, reminds IT
 * half-way through the week and tells the headteacher when the week is up. Each step once.
 */
async function advance(svc: Services, school: SchoolConfig, now: number): Promise<void> {
  const today = schoolDate(now, school.timezone);
  const gone = await leftSince(svc.db, school.id, now - ROSTER_LOOKBACK_DAYS * DAY);
  if (gone.length) {
    const known = await svc.db.all<{ aad_id: string; leaving_on: string }>(
      'SELECT aad_id, leaving_on FROM leavers WHERE school_id = ?',
      [school.id],
    );
    for (const g of gone) {
      const left = schoolDate(g.left_at, school.timezone);
      // Already recorded by the office around that day: the roster only confirms it.
      if (known.some((k) => k.aad_id === g.aad_id && k.leaving_on >= addDays(left, -ROSTER_LOOKBACK_DAYS))) continue;
      await svc.db.transaction((tx) => record(svc, tx, school, g, left, { source: 'roster' }));
    }
  }
  const open = await svc.db.all<Row>(
    'SELECT * FROM leavers WHERE school_id = ? AND done_at IS NULL AND leaving_on <= ?',
    [school.id, today],
  );
  for (const r of open) {
    const steps: Array<{ mark: string; roles: RoleKey[]; slot?: string; banner?: string }> = [
      { mark: 'task', roles: ['it'] },
      ...(today >= addDays(r.leaving_on, REMIND_DAYS)
        ? [
            {
              mark: 'remind',
              roles: ['it'] as RoleKey[],
              slot: 'reminder',
              banner: `Reminder: ${r.name}'s checklist is due ${formatDate(dueOn(r))}.`,
            },
          ]
        : []),
      ...(today > dueOn(r)
        ? [
            {
              mark: 'escalate',
              roles: ['headteacher'] as RoleKey[],
              slot: 'escalated',
              banner: `Late: a week after ${r.name}'s last day, their leaver's checklist is not done.`,
            },
          ]
        : []),
    ];
    for (const step of steps) {
      await once(svc.db, [`leaver:${step.mark}:${r.id}`], now, async (tx) => {
        const fresh = await load(tx, school, r.id);
        if (fresh.done_at) return;
        if (step.mark === 'task') await tx.run('UPDATE leavers SET tasked_at = ? WHERE id = ?', [now, r.id]);
        let to = await svc.directory.holders(school, step.roles, tx);
        if (!to.length) to = await svc.directory.holders(school, ['headteacher'], tx);
        const card = await taskCard(svc, tx, school, fresh, { banner: step.banner });
        await sendTask(tx, { school, group: group(r) }, to, card, now, step.slot);
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: 'system',
          action: `leaver.${step.mark}`,
          subject: r.id,
        });
      });
    }
  }
}
