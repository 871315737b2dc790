import { DEVICE_SCHEMA } from './schema';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineRequestType, type RequestTypeDef } from '../../approvals/types';
import { DAY, formatSchoolTime } from '../../clock';
import { badInput, forbidden, notFound } from '../../errors';
import { enqueueSend } from '../../outbox/outbox';
import { actOnTask, refreshTask, sendTask } from '../../outbox/tasks';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import { FormSubmit, keysOf, multiPick, multiSelect, newFormId, submitForm } from '../forms';
import type { SchoolConfig } from '../../config';
import { DEVICE_INTENTS, spotDevices } from './understands';
import { leavers, leftAt } from '../../identity/staff';
import { action, type Flow, type Services, type Understood } from '../types';
import { entity } from '../../understanding';
import { tokens } from '../../language/words';

const KINDS = { laptop: 'Laptop', phone: 'Phone', tablet: 'Tablet', other: 'Other' } as const;
/** A use's title at this school (the value itself for one the school no longer offers). */
const useTitle = (school: SchoolConfig, v: string) => school.devices.uses.find((u) => u.value === v)?.title ?? v;
/** What the policies ask of a personal device before it touches school data. */
export const CHECKLIST = {
  screenLock: 'It locks with a PIN, password or biometric after a short time',
  encryption: 'Its storage is encrypted',
  updates: 'Automatic updates are on',
  antivirus: 'Anti-virus and firewall are on (where the device has them)',
  defaultPassword: 'Default passwords have been changed',
  family: 'Family members or others cannot reach school data on it',
} as const;

export const DeviceRequest = z
  .object({
    kind: z.enum(keysOf(KINDS), { message: 'pick the kind of device' }),
    device: z.string().trim().min(2, 'name the device (make and model)').max(100),
    uses: multiPick('say what you will use it for'),
    checklist: multiSelect(keysOf(CHECKLIST), 'confirm the security checklist'),
  })
  .strict()
  .superRefine((d, ctx) => {
    const missing = keysOf(CHECKLIST).filter((k) => !(d.checklist as string[]).includes(k));
    if (missing.length)
      ctx.addIssue({
        code: 'custom',
        path: ['checklist'],
        message: `every point must be true before a personal device can hold school data; still to do: ${missing.map((k) => CHECKLIST[k].toLowerCase()).join('; ')}. IT can help you with these`,
      });
  });
type DeviceRequest = z.infer<typeof DeviceRequest>;
const LABELS = { kind: 'Kind of device', device: 'Device', uses: 'Used for', checklist: 'Security checklist' };

/** How long a personal-device permission lasts, and how long before its end the owner is reminded. */
export const APPROVAL_DAYS = 365;
const REMIND_BEFORE_DAYS = 30;

interface DeviceRow {
  id: string;
  school_id: string;
  tenant_id: string;
  ref: string;
  owner_id: string;
  owner_name: string;
  device: string;
  uses: string;
  approved_at: number;
  expires_at: number;
  configured_at: number | null;
  configured_by_name: string | null;
  removed_at: number | null;
}

function taskCard(svc: Services, d: DeviceRow, tz: string, back = ''): Record<string, unknown> {
  return svc.cards.render('device/task', {
    back,
    title: `Configure a personal device (${d.ref})`,
    owner: d.owner_name,
    device: d.device,
    uses: d.uses,
    status: d.configured_at ? `Done by ${d.configured_by_name}, ${formatSchoolTime(d.configured_at, tz)}` : '',
    pending: !d.configured_at,
    deviceId: d.id,
  });
}

function deviceType(svc: Services, school: SchoolConfig): RequestTypeDef {
  const uses = (d: DeviceRequest) => d.uses.map((u) => useTitle(school, u));
  return defineRequestType<DeviceRequest>({
    key: 'device',
    title: 'Personal device request',
    refPrefix: 'DEV',
    schema: DeviceRequest,
    defaultStages: [
      { name: "IT manager's permission", roles: ['it'] },
      // The policies give pupils' photos on a personal device to the headteacher alone.
      {
        name: "Headteacher's written permission (pupils' photos)",
        roles: ['headteacher'],
        when: { field: 'uses', includesAny: ['photos'] },
      },
    ],
    // A use the school does not offer, or one its policy forbids, is refused with the rule.
    refusals: (d) =>
      d.uses.flatMap((v) => {
        const u = school.devices.uses.find((x) => x.value === v);
        if (!u) return [`"${v}" is not one of the uses ${school.name} allows: pick from the list.`];
        return u.refuse ? [`${u.title}: ${u.refuse}`] : [];
      }),
    warnings: (d) =>
      d.uses.includes('photos')
        ? [
            "Photos of pupils on a personal device need the headteacher's written permission. Check each pupil's photo consent first, move the photos to the school system as soon as you can, and then delete them from the device.",
          ]
        : [],
    facts: (d) => {
      return [
        { label: LABELS.kind, value: KINDS[d.kind] },
        { label: LABELS.device, value: d.device },
        { label: LABELS.uses, value: uses(d).join(', ') },
        { label: LABELS.checklist, value: 'All six points confirmed by the requester' },
      ];
    },
    summary: (d) =>
      `${d.device} for ${uses(d)
        .map((u) => u.toLowerCase())
        .join(', ')}`,
    approverNotes: () => [
      'After approval you will get a task to configure the device (email profile, MDM or app protection).',
    ],
    // Approved: the device enters the register, and IT gets a task to configure it.
    async onApproved(tx, r, ctx) {
      const d = r.data;
      const row: DeviceRow = {
        id: randomUUID(),
        school_id: ctx.school.id,
        tenant_id: ctx.school.tenantId,
        ref: r.ref,
        owner_id: r.requesterId,
        owner_name: r.requesterName,
        device: `${KINDS[d.kind]}: ${d.device}`,
        uses: uses(d).join(', '),
        approved_at: ctx.now,
        expires_at: ctx.now + APPROVAL_DAYS * DAY,
        configured_at: null,
        configured_by_name: null,
        removed_at: null,
      };
      await tx.run(
        `INSERT INTO device_register (id, school_id, tenant_id, request_id, ref, owner_id, owner_name, device, uses, approved_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          row.id,
          row.school_id,
          row.tenant_id,
          r.id,
          row.ref,
          row.owner_id,
          row.owner_name,
          row.device,
          row.uses,
          row.approved_at,
          row.expires_at,
        ],
      );
      const it = await svc.directory.holders(ctx.school, ['it'], tx);
      await sendTask(
        tx,
        { school: ctx.school, group: `devtask:${row.id}` },
        it,
        taskCard(svc, row, ctx.school.timezone),
        ctx.now,
      );
    },
  });
}

/** The form's kind for a device's name, where the name says it ("my iPad", "my own mobile"). */
const KIND_OF: Array<[RegExp, keyof typeof KINDS]> = [
  [/^(?:phone|mobile|smartphone|iphone|android)s?$/i, 'phone'],
  [/^(?:tablet|ipad)s?$/i, 'tablet'],
  [/^(?:laptop|macbook|chromebook|notebook)s?$/i, 'laptop'],
];
/** A name that is a make already, as the person wrote it ("iPad", "Chromebook"), not a kind ("phone"). */
const MAKE = /^(?:iphone|ipad|macbook|chromebook)s?$/i;

/**
 * The form's fields a message already answers: the kind of device and its make from the device it
 * names ("can I use my own iPad for school email" → a tablet, "iPad"), and the school's uses whose
 * own words it says ("email" of "School email"; a word every use's title shares says none).
 */
export function valuesFrom(school: SchoolConfig, u: Understood): Record<string, string> {
  const out: Record<string, string> = {};
  const named = entity(u, 'device');
  if (named) {
    const kind = KIND_OF.find(([re]) => re.test(named.value))?.[1];
    if (kind) out.kind = kind;
    if (MAKE.test(named.value)) out.device = named.text;
  }
  const said = new Set(tokens(u.text));
  const titles = school.devices.uses.map((x) => ({ value: x.value, stems: new Set(tokens(x.title)) }));
  const shared = (st: string) => titles.filter((t) => t.stems.has(st)).length > 1;
  const uses = titles.filter((t) => [...t.stems].some((st) => said.has(st) && !shared(st))).map((t) => t.value);
  if (uses.length) out.uses = uses.join(',');
  return out;
}

const form = (svc: Services, school: SchoolConfig, values: Record<string, unknown>, error = '') => ({
  card: svc.cards.render('device/request', {
    purposes: school.devices.uses.map((u) => ({ value: u.value, title: u.title })),
    formId: (values.formId as string) || newFormId(),
    error,
    kind: '',
    device: '',
    uses: '',
    checklist: '',
    ...values,
    items: Object.entries(CHECKLIST).map(([value, title]) => ({ value, title })),
  }),
});

/** A person's approved personal devices, and whether school data has been removed from each (for a leaver's checklist). */
export async function devicesOf(
  db: Db,
  schoolId: string,
  aadId: string,
): Promise<Array<{ ref: string; device: string; removedAt: number | null }>> {
  const rows = await db.all<DeviceRow>(
    'SELECT * FROM device_register WHERE school_id = ? AND owner_id = ? ORDER BY approved_at',
    [schoolId, aadId],
  );
  return rows.map((d) => ({ ref: d.ref, device: d.device, removedAt: d.removed_at }));
}

async function loadDevice(db: Db, id: string): Promise<DeviceRow | undefined> {
  return db.get<DeviceRow>('SELECT * FROM device_register WHERE id = ?', [id]);
}

export const deviceFlow: Flow = {
  id: 'device',
  schema: DEVICE_SCHEMA,
  menu: { title: 'Use a personal device', description: 'Ask to use your own phone, tablet or laptop for school work' },
  commands: ['personal device', 'use my own device', 'use a personal device', 'own device', 'byod', 'device'],
  start: async (actor, svc) => form(svc, actor.school, {}),
  understands: () => DEVICE_INTENTS,
  spot: (_actor, text) => spotDevices(text),
  onIntent: async (actor, u, svc) => form(svc, actor.school, valuesFrom(actor.school, u)),
  requestTypes: (svc, school) => [deviceType(svc, school)],
  actions: [
    action('device.submit', FormSubmit, (actor, data, svc) =>
      submitForm(actor, svc, 'device', data, (v, e) => form(svc, actor.school, v, e), LABELS),
    ),
    action('device.task', z.object({ deviceId: z.string().uuid() }).strict(), async (actor, data, svc) => {
      const d = await loadDevice(svc.db, data.deviceId);
      if (!d || d.school_id !== actor.school.id) throw notFound('That device was not found.');
      if (!(await svc.directory.holds(actor, ['it']))) throw forbidden('Only IT sets up personal devices.');
      return { card: taskCard(svc, d, actor.school.timezone, 'waiting') };
    }),
    action('device.configured', z.object({ deviceId: z.string().uuid() }).strict(), async (actor, data, svc) => {
      const now = svc.clock.now();
      const d = await loadDevice(svc.db, data.deviceId);
      if (!d || d.school_id !== actor.school.id) throw notFound('That device was not found.');
      const card = await actOnTask({ db: svc.db, directory: svc.directory, now }, actor, {
        roles: ['it'],
        subject: d.id,
        refused: { action: 'device.refused', message: 'Only IT can mark a device as configured.' },
        act: async (tx) => {
          const won = await tx.run(
            'UPDATE device_register SET configured_at = ?, configured_by_name = ? WHERE id = ? AND configured_at IS NULL',
            [now, actor.name, d.id],
          );
          const c = taskCard(svc, (await loadDevice(tx, d.id))!, actor.school.timezone);
          if (!won.changes) return c;
          await audit(tx, {
            at: now,
            schoolId: actor.school.id,
            actorId: actor.id,
            action: 'device.configured',
            subject: d.id,
          });
          await refreshTask(tx, { school: actor.school, group: `devtask:${d.id}` }, c, now);
          await enqueueSend(
            tx,
            {
              schoolId: actor.school.id,
              tenantId: actor.school.tenantId,
              recipient: { key: d.owner_id, aadId: d.owner_id },
              message: {
                text: `IT has set up your device (${d.device}) for school use. Your permission lasts until ${formatSchoolTime(d.expires_at, actor.school.timezone)}.`,
              },
            },
            now,
          );
          return c;
        },
      });
      svc.deliver();
      return { card };
    }),
    action('device.removed', z.object({ deviceId: z.string().uuid() }).strict(), async (actor, data, svc) => {
      const now = svc.clock.now();
      const d = await loadDevice(svc.db, data.deviceId);
      if (!d || d.owner_id !== actor.id) throw notFound('That device was not found among yours.');
      if (d.expires_at > now && !(await leftAt(svc.db, d.school_id, d.owner_id)))
        throw badInput('Your permission for this device has not ended yet.');
      await svc.db.transaction(async (tx) => {
        if (
          (await tx.run('UPDATE device_register SET removed_at = ? WHERE id = ? AND removed_at IS NULL', [now, d.id]))
            .changes
        )
          await audit(tx, {
            at: now,
            schoolId: actor.school.id,
            actorId: actor.id,
            action: 'device.data_removed',
            subject: d.id,
          });
      });
      return { text: `Thank you: recorded that school data has been removed from ${d.device}.` };
    }),
  ],
  /** Approved devices IT has not set up yet, for IT. */
  async waiting(actor, svc) {
    if (!(await svc.directory.holds(actor, ['it']))) return [];
    const rows = await svc.db.all<DeviceRow>(
      'SELECT * FROM device_register WHERE school_id = ? AND configured_at IS NULL AND removed_at IS NULL ORDER BY approved_at LIMIT 25',
      [actor.school.id],
    );
    return rows.map((d) => ({
      kind: 'device' as const,
      id: d.id,
      ref: d.ref,
      summary: `Set up ${d.device} for ${d.owner_name}`,
      state: `IT task · approved ${formatSchoolTime(d.approved_at, actor.school.timezone)}`,
      since: d.approved_at,
    }));
  },
  /** Owners are reminded a month before a permission ends, and asked to remove school data when it does. */
  async tick(svc) {
    const now = svc.clock.now();
    // Permissions ending within a month, and those of people who have left the school (staff list).
    const rows: Array<DeviceRow & { left_at: number | null }> = [];
    for (const school of svc.config.file.schools) {
      const gone = await leavers(svc.db, school.id);
      for (const d of await svc.db.all<DeviceRow>(
        'SELECT * FROM device_register WHERE school_id = ? AND removed_at IS NULL',
        [school.id],
      )) {
        const left_at = gone.get(d.owner_id) ?? null;
        if (d.expires_at <= now + REMIND_BEFORE_DAYS * DAY || left_at !== null) rows.push({ ...d, left_at });
      }
    }
    for (const d of rows) {
      const school = svc.config.file.schools.find((s) => s.id === d.school_id);
      if (!school) continue;
      const ended = d.expires_at <= now || d.left_at !== null;
      await once(svc.db, [`device:${ended ? 'ended' : 'expiring'}:${d.id}`], now, async (tx) => {
        const card = svc.cards.render('device/expiry', {
          title:
            d.left_at !== null
              ? `You are leaving: please remove school data from ${d.device}`
              : ended
                ? `Your permission to use ${d.device} has ended`
                : `Your permission to use ${d.device} ends soon`,
          text: ended
            ? 'Please remove school email, files and apps from the device now, then confirm here. To keep using it, ask again.'
            : `It ends on ${formatSchoolTime(d.expires_at, school.timezone)}. To keep using the device for school work, ask again and re-confirm the security checklist.`,
          ended,
          deviceId: d.id,
        });
        await enqueueSend(
          tx,
          {
            schoolId: school.id,
            tenantId: school.tenantId,
            recipient: { key: d.owner_id, aadId: d.owner_id },
            message: { card },
          },
          now,
        );
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: 'system',
          action: ended ? 'device.ended' : 'device.expiry_reminded',
          subject: d.id,
        });
      });
    }
  },
};
