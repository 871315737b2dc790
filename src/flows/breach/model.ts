import { z } from 'zod';
import { ROLE_KEYS, type RoleKey, type StageConfig } from '../../config';
import { keysOf, multiSelect } from '../forms';

export const CATEGORIES = {
  'wrong-recipient': 'Sent to the wrong person (email or post)',
  'lost-stolen': 'Lost or stolen device or papers',
  'unauthorised-access': 'Unauthorised access, hacking or malware',
  verbal: 'Said or overheard',
  published: 'Published or shared wrongly',
  physical: 'Physical security (e.g. unlocked storage)',
  other: 'Something else',
} as const;
export const WHOSE = { pupils: 'Pupils', staff: 'Staff', parents: 'Parents or carers', others: 'Others' } as const;
export const DATA_KINDS = {
  ordinary: 'Ordinary personal data (names, contact details)',
  health: 'Health',
  sen: 'Special educational needs',
  safeguarding: 'Safeguarding or child protection',
  biometric: 'Biometric',
  ethnicity: 'Ethnicity',
  religion: 'Religion or beliefs',
  criminal: 'Criminal allegations or offences',
  financial: 'Financial (bank details, payments)',
} as const;
export const SPECIAL_KINDS = ['health', 'sen', 'safeguarding', 'biometric', 'ethnicity', 'religion', 'criminal'];
export const PEOPLE_COUNT = {
  '1': 'One person',
  '2-10': '2 to 10',
  '11-100': '11 to 100',
  '100+': 'More than 100',
  unknown: "Don't know",
} as const;
export const YES_NO_UNKNOWN = { yes: 'Yes', no: 'No', unknown: "Don't know" } as const;
export const INVOLVEMENT = {
  involved: 'I was involved',
  saw: 'I saw it or found it',
  heard: 'I heard about it from someone else',
} as const;
export const RISK = {
  none: 'A near miss: no personal data was lost, seen or changed',
  unlikely: 'Unlikely to result in a risk to people',
  risk: 'A risk to people',
  high: 'A high risk to people',
} as const;
export type Risk = keyof typeof RISK;

/** What caused it, in the handler's judgement: the breach log's and the ICO form's "cause". */
export const CAUSES = {
  'human-error': 'A mistake by a member of staff',
  process: 'A process that failed, or was missing',
  technical: 'A technical fault',
  cyber: 'A cyber attack, malware or phishing',
  theft: 'Theft or burglary',
  supplier: 'A supplier or another organisation',
  unknown: 'Not known yet',
} as const;
/** Whether the member of staff involved has had data-protection training, as the ICO form asks. */
export const TRAINING = {
  recent: 'Yes, in the last two years',
  older: 'Yes, but more than two years ago',
  none: 'No',
  unknown: 'Not known',
} as const;
/** Others a school may have told about a breach. */
export const OTHER_ORGS = {
  police: 'The police',
  'action-fraud': 'Action Fraud',
  dfe: 'The Department for Education',
  la: 'The local authority',
  insurer: 'The insurer (or the RPA)',
  other: 'Another organisation',
} as const;

/** What the ICO's form and the breach log ask beyond the report, recorded by a handler. */
export const IcoDetails = z
  .object({
    cause: z.enum(keysOf(CAUSES), { message: 'pick the cause (or "not known yet")' }),
    causeDetail: z.string().trim().max(2000).optional(),
    people: z.coerce.number().int('a whole number').min(0).max(10_000_000).optional(),
    records: z.coerce.number().int('a whole number').min(0).max(100_000_000).optional(),
    staffInvolved: z.string().trim().max(300).optional(),
    training: z.enum(keysOf(TRAINING)).default('unknown'),
    measuresBefore: z.string().trim().max(2000).optional(),
    otherOrgs: multiSelect(keysOf(OTHER_ORGS), 'pick who else was told').optional(),
    otherOrgsDetail: z.string().trim().max(1000).optional(),
  })
  .strict();
export type IcoDetails = z.infer<typeof IcoDetails>;
export const ICO_DETAIL_LABELS: Record<string, string> = {
  cause: 'Cause',
  people: 'How many people',
  records: 'How many records',
  otherOrgs: 'Others told',
};

/**
 * Whether an ICO decision goes against the risk assessment: not telling the ICO about a risk, or
 * telling it about a risk assessed as unlikely; not telling the people about a high risk.
 */
export function againstAssessment(risk: Risk, notify: boolean, tell: boolean): string | undefined {
  if (!notify && (risk === 'risk' || risk === 'high'))
    return `not to tell the ICO, although the risk was assessed as "${RISK[risk].toLowerCase()}"`;
  if (notify && risk === 'unlikely') return 'to tell the ICO, although a risk was assessed as unlikely';
  if (!tell && risk === 'high')
    return 'not to tell the people affected, although the risk to them was assessed as high';
  return undefined;
}

const Date_ = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date');
const Time_ = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time');

/** What a member of staff reports. Few required fields; the rest have defaults. */
export const BreachReport = z
  .object({
    category: z.enum(keysOf(CATEGORIES), { message: 'pick what happened' }),
    description: z.string().trim().min(10, 'say in a sentence or two what happened').max(4000),
    happenedOn: Date_.optional(),
    discoveredOn: Date_.optional(),
    discoveredAt: Time_.optional(),
    ongoing: z.enum(keysOf(YES_NO_UNKNOWN)).default('unknown'),
    whose: multiSelect(keysOf(WHOSE), 'say whose data it is').optional(),
    dataKinds: multiSelect(keysOf(DATA_KINDS), 'say what kind of data').optional(),
    peopleCount: z.enum(keysOf(PEOPLE_COUNT)).default('unknown'),
    protected: z.enum(keysOf(YES_NO_UNKNOWN)).default('unknown'),
    contained: z.enum(keysOf(YES_NO_UNKNOWN)).default('unknown'),
    actionsSoFar: z.string().trim().max(2000).optional(),
    involvement: z.enum(keysOf(INVOLVEMENT)).default('saw'),
    /** A role whose holder the report is about (or who was involved): they must not handle it. */
    concernsRole: z.enum(['none', ...ROLE_KEYS]).default('none'),
  })
  .strict();
export type BreachReport = z.infer<typeof BreachReport>;

export const REPORT_LABELS: Record<string, string> = {
  category: 'What happened',
  description: 'Description',
  happenedOn: 'When it happened',
  discoveredOn: 'When it was discovered',
  discoveredAt: 'Time discovered',
  whose: 'Whose data',
  dataKinds: 'Kinds of data',
  peopleCount: 'How many people',
};

/**
 * Who handles a report when the school does not configure it: the data compliance officer; the
 * headteacher too for a lost or stolen device; the DPO too when special-category data is involved.
 */
export const DEFAULT_BREACH_ROUTE: StageConfig[] = [
  { name: 'Breach handler', roles: ['dco'] },
  { name: 'Lost or stolen device', roles: ['headteacher'], when: { field: 'category', equals: 'lost-stolen' } },
  { name: 'Special-category data', roles: ['dpo'], when: { field: 'dataKinds', includesAny: SPECIAL_KINDS } },
];

export type BreachStatus = 'reported' | 'acknowledged' | 'assessed' | 'decided' | 'closed';

/** A near miss is logged like a breach, but no ICO decision is owed and no clock runs. */
export const isNearMiss = (rec: { assessment?: { risk: Risk } }) => rec.assessment?.risk === 'none';

interface By {
  by: string;
  byName: string;
  at: number;
}

/** The whole breach record. Every change stores a new version of it; none is overwritten. */
export interface BreachRecord {
  report: BreachReport;
  reporterName: string;
  reportedAt: number;
  /** When the school became aware: the 72 hours run from here. */
  awareAt: number;
  deadline: number;
  status: BreachStatus;
  handlerRoles: RoleKey[];
  /** Who was sent the report when it was made, by name (or the address the school configured). */
  told?: string[];
  /** Roles whose holders the report concerns: they do not handle it or see it. */
  excludedRoles: RoleKey[];
  escalated: boolean;
  acknowledged?: By;
  assessment?: By & { risk: Risk; notes: string };
  /** The ICO decision; `against` says how it departs from the assessment, `againstReason` why. */
  ico?: By & {
    notify: boolean;
    reason: string;
    late: boolean;
    delayReason?: string;
    against?: string;
    againstReason?: string;
  };
  /** The details the ICO's form and the breach log ask for, as last saved by a handler. */
  details?: By & IcoDetails;
  /** When the reporter last confirmed the school's policy, as the bot knew at the time of the report. */
  reporterConfirmedAt?: number;
  affected?: By & { tell: boolean; reason: string };
  actions: Array<By & { text: string }>;
  icoReference?: string;
  /** When the ICO was actually told (not only decided on), and its reference. */
  icoNotified?: By & { on: number; reference: string };
  /** When and how the people affected were told (UK GDPR Art. 34). */
  peopleTold?: By & { on: number; how: string };
  closed?: By & { summary: string };
}

/** The first steps a reporter should take, by category. Written for staff, not lawyers. */
export function firstSteps(category: BreachReport['category']): string[] {
  const common = [
    'Do not try to put it right yourself, and do not delete anything: the handler may need it.',
    'Do not discuss it with anyone else for now.',
  ];
  switch (category) {
    case 'wrong-recipient':
      return [
        'If it was an email, try to recall it in Outlook now, then tell the handler whether that worked.',
        'If the recipient replies, do not ask them to forward it back: ask them to delete it and to confirm that they have.',
        ...common,
      ];
    case 'lost-stolen':
      return [
        'If a device or papers were stolen, report the theft to the police and keep the crime reference number.',
        'Tell IT at once so they can lock or wipe the device and change passwords.',
        ...common,
      ];
    case 'unauthorised-access':
      return [
        'Disconnect the device from the network (unplug it or switch off Wi-Fi) but do not switch it off.',
        'Tell IT at once and change your password from a different device.',
        ...common,
      ];
    case 'physical':
      return ['If you can, lock the storage or room now, and note what may have been taken.', ...common];
    case 'published':
      return ['If you can remove the post or page yourself, ask the handler first: they may need a copy.', ...common];
    default:
      return common;
  }
}
