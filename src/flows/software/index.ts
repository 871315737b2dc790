import { SOFTWARE_SCHEMA } from './schema';
import { z } from 'zod';
import { defineRequestType, type RequestTypeDef } from '../../approvals/types';
import type { Services } from '../types';
import { action, type Flow } from '../types';
import { FormSubmit, keysOf, newFormId, submitForm } from '../forms';
import { findApproved, addToRegister, softwareRegisterLine } from './register';
import { devicesSaid, purposeSaid, sentenceStart, SOFTWARE_INTENTS, spotApps } from './understands';
import { policyLibrary } from '../policy';
import { inDictionary, isDevice, nounKinds } from '../../language/senses';
import { entity } from '../../understanding';

const DEVICES = {
  'my-laptop': 'My school laptop',
  'staff-laptops': 'All staff laptops',
  classroom: 'Classroom computers',
  tablets: 'Pupil iPads / tablets',
  online: 'Online service (no install)',
  named: 'Named devices',
} as const;
const PERSONAL = {
  no: 'No',
  pupils: 'Yes, about pupils',
  staff: 'Yes, about staff',
  both: 'Yes, pupils and staff',
  unsure: 'Not sure',
} as const;
const YES_NO_UNKNOWN = { no: 'No', yes: 'Yes', unknown: "Don't know" } as const;
const COST = { free: 'Free', paid: 'Paid: school licence needed', trial: 'Free trial', unknown: "Don't know" } as const;

export const SoftwareRequest = z
  .object({
    name: z.string().trim().min(2, 'give the name of the software').max(100),
    purpose: z.string().trim().min(3, 'say what it is for').max(500),
    devices: z.enum(keysOf(DEVICES), { message: 'pick the devices' }),
    deviceNames: z.string().trim().max(200).optional(),
    personalData: z.enum(keysOf(PERSONAL), { message: 'say whether it holds personal data' }),
    // No default: "No" unanswered would let data go abroad without a word. "Don't know" is an answer.
    outsideUk: z.enum(keysOf(YES_NO_UNKNOWN), { message: "say whether data leaves the UK (or Don't know)" }),
    cost: z.enum(keysOf(COST)).default('unknown'),
    source: z.string().trim().max(200).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.devices === 'named' && !d.deviceNames)
      ctx.addIssue({ code: 'custom', path: ['deviceNames'], message: 'name the devices' });
  });
type SoftwareRequest = z.infer<typeof SoftwareRequest>;

const LABELS = {
  name: 'Software',
  purpose: 'What it is for',
  devices: 'Devices',
  deviceNames: 'Device names',
  personalData: 'Personal data',
  outsideUk: 'Data outside the UK',
  cost: 'Cost',
};

export const devicesText = (d: Pick<SoftwareRequest, 'devices' | 'deviceNames'>) =>
  d.devices === 'named' ? (d.deviceNames ?? '') : DEVICES[d.devices];

function softwareType(): RequestTypeDef {
  return defineRequestType<SoftwareRequest>({
    key: 'software',
    title: 'Software request',
    refPrefix: 'SW',
    schema: SoftwareRequest,
    defaultStages: [
      { name: 'Security and licence check', roles: ['it'] },
      {
        name: 'Data protection review',
        roles: ['dpo'],
        when: { field: 'personalData', in: ['pupils', 'staff', 'both', 'unsure'] },
      },
      { name: 'Written permission', roles: ['headteacher'] },
    ],
    facts: (d) => {
      return [
        { label: LABELS.name, value: d.name },
        { label: LABELS.purpose, value: d.purpose },
        { label: LABELS.devices, value: devicesText(d) },
        { label: LABELS.personalData, value: PERSONAL[d.personalData] },
        { label: LABELS.outsideUk, value: YES_NO_UNKNOWN[d.outsideUk] },
        { label: LABELS.cost, value: COST[d.cost] },
        { label: 'Source', value: d.source ?? '' },
      ];
    },
    summary: (d) => `${d.name} on ${devicesText(d).toLowerCase()}`,
    approverNotes: (d) => {
      const out: string[] = [];
      if (d.personalData !== 'no')
        out.push('It may hold personal data: a data protection impact assessment may be needed before it is used.');
      if (d.outsideUk !== 'no')
        out.push('Data may leave the UK: check where the supplier stores it and what protects it.');
      return out;
    },
    onApproved: (tx, r, ctx) => addToRegister(tx, r, ctx.now, ctx.conditions),
  });
}

const form = (svc: Services, values: Record<string, unknown>, error = '', note = '') => ({
  card: svc.cards.render('software/request', {
    formId: (values.formId as string) ?? newFormId(),
    error,
    note,
    name: '',
    purpose: '',
    devices: '',
    deviceNames: '',
    personalData: '',
    outsideUk: '',
    cost: 'free',
    source: '',
    ...values,
  }),
});

export const softwareFlow: Flow = {
  id: 'software',
  schema: SOFTWARE_SCHEMA,
  menu: {
    title: 'Ask to install software',
    description: 'Ask permission to install software or use a new app or online service',
  },
  commands: ['install software', 'request software', 'software request', 'new app', 'software'],
  start: async (_actor, svc) => form(svc, {}),
  requestTypes: () => [softwareType()],
  actions: [
    action('software.submit', FormSubmit, (actor, data, svc) =>
      submitForm(actor, svc, 'software', data, (v, e) => form(svc, v, e), LABELS),
    ),
  ],
  understands: () => SOFTWARE_INTENTS,
  // WordNet's devices and its word lists (see `spot`), read before anyone's turn.
  warm: () => {
    nounKinds();
    void inDictionary('app');
  },
  async spot(actor, text, svc) {
    const names = await svc.db.all<{ name: string }>(
      'SELECT DISTINCT name FROM software_register WHERE school_id = ?',
      [actor.school.id],
    );
    const apps = await spotApps(
      text,
      names.map((n) => n.name),
    );
    // A name guessed from its capitals before a device ("Bose headphones", "Bluetooth speakers") is
    // the device's make or kind, not an app. Nor is a person the school's policy names ("which days
    // is Kieran in?", where the policy names its IT technician).
    const library = apps.some((a) => a.guess)
      ? await policyLibrary(svc, actor.school).catch(() => undefined)
      : undefined;
    return apps.filter((a) => {
      if (a.guess && library?.index.namesPerson(a.value)) return false;
      const next = a.guess ? /^\s+([a-z]+)/.exec(text.slice(a.end))?.[1] : undefined;
      return next === undefined || !isDevice(next);
    });
  },
  /** "Can I use Padlet?": answered from the register, or the request offered with the name filled in. */
  async onIntent(actor, u, svc) {
    const app = entity(u, 'app');
    const name = app?.value;
    // The devices the message names, already picked on the form, and what it is for when the
    // message says so after the name ("…for my music lessons").
    const devices = devicesSaid(u.text);
    const purpose = app && u.text.slice(app.start, app.end) === app.text ? purposeSaid(u.text, app.end) : undefined;
    const on = { ...(devices ? { devices } : {}), ...(purpose ? { purpose } : {}) };
    if (!name) return form(svc, on);
    const hit = await findApproved(svc.db, actor.school.id, name);
    if (hit) return { text: softwareRegisterLine(hit, actor.school.timezone) };
    return form(
      svc,
      { name, ...on },
      '',
      `${sentenceStart(name)} is not on ${actor.school.name}'s register of approved software yet. To ask for it, send this request and IT will check it.`,
    );
  },
};
