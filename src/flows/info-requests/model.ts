import type { RoleKey } from '../../config';

/** Who logs requests and keeps the log: the office receives most, the DPO answers for the school. */
export const KEEPERS: readonly RoleKey[] = ['dpo', 'office', 'headteacher', 'sbm'];
export const KINDS = { sar: 'Subject access request', foi: 'Freedom of information request' } as const;
export const HOW = {
  email: 'Email',
  letter: 'Letter',
  'in-person': 'In person',
  phone: 'Phone',
  online: 'Online',
} as const;
/** Reminders: the DPO a week before the due date; the DPO and headteacher two days before, and when it passes. */
export const REMIND_DAYS = 7;
export const ESCALATE_DAYS = 2;

export interface Row {
  id: string;
  school_id: string;
  kind: keyof typeof KINDS;
  ref: string;
  requester: string;
  received_on: string;
  received_how: keyof typeof HOW;
  identity: 'checked' | 'asked' | 'na';
  clock_from: string | null;
  summary: string;
  due_on: string | null;
  extended_to: string | null;
  extension_reason: string | null;
  logged_by_name: string;
  logged_at: number;
  closed_at: number | null;
  closed_by_name: string | null;
  sent_on: string | null;
  outcome: string | null;
}

/** The date an answer is due now: the extended date when there is one. */
export const dueOf = (r: Row) => r.extended_to ?? r.due_on;
