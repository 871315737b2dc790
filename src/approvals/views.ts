import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../config';
import { formatSchoolTime } from '../clock';
import type { Fact } from '../core';
import type { CardRenderer } from '../cards/render';
import type { RequestRecord, RequestTypeDef, StageRecord } from './types';

/** The roles that may decide a stage now: its own, plus the next in line once escalated. */
export function stageRolesNow(stage: StageRecord): string[] {
  return stage.escalatedAt ? [...new Set([...stage.roles, ...stage.escalateTo])] : stage.roles;
}

const roleNames = (roles: string[]) => roles.map((r) => ROLE_TITLES[r as RoleKey] ?? r).join(' or ');

/** Facts with empty values left out; every value a string. */
export function cleanFacts(facts: Fact[]): Fact[] {
  return facts.filter((f) => f.value.trim() !== '').map((f) => ({ label: f.label, value: f.value }));
}

function decisionLine(stage: StageRecord, tz: string): { line: string; color: string } {
  const when = stage.decidedAt ? formatSchoolTime(stage.decidedAt, tz) : '';
  switch (stage.status) {
    case 'approved':
      return {
        line: `Approved by ${stage.decidedByName}, ${when}${stage.reason ? ` (conditions: ${stage.reason})` : ''}`,
        color: 'Good',
      };
    case 'denied':
      return { line: `Denied by ${stage.decidedByName}, ${when}: ${stage.reason ?? ''}`, color: 'Attention' };
    case 'cancelled':
      return { line: 'Withdrawn by the requester', color: 'Default' };
    default:
      return { line: '', color: 'Default' };
  }
}

export function approverCard(
  cards: CardRenderer,
  school: SchoolConfig,
  type: RequestTypeDef,
  r: RequestRecord,
  stage: StageRecord,
  extra: string[] = [],
  /** The list it was opened from, for its Back button. */
  back: '' | 'mine' | 'waiting' = '',
): Record<string, unknown> {
  const { line, color } = decisionLine(stage, school.timezone);
  const waitingForAnswer = r.status === 'info_requested' && stage.status === 'pending';
  return cards.render('requests/approver', {
    back,
    title: type.title,
    ref: r.ref,
    stageLine: `Step ${stage.idx + 1} of ${r.stages.length}: ${stage.name} (${roleNames(stageRolesNow(stage))})`,
    requester: r.requesterName,
    submitted: formatSchoolTime(r.createdAt, school.timezone),
    facts: cleanFacts(type.facts(r.data)),
    notes: r.notes.filter((n) => n.kind !== 'condition').map((n) => ({ who: n.authorName, text: n.text })),
    // What the earlier steps decided: an approver sees who has already approved, when, and on what condition.
    earlier: r.stages
      .filter((s) => s.idx < stage.idx && s.status === 'approved')
      .map((s) => ({
        line: `${s.name}: approved by ${s.decidedByName ?? 'someone'}${s.decidedAt ? `, ${formatSchoolTime(s.decidedAt, school.timezone)}` : ''}`,
        condition: s.reason ? `On condition that: ${s.reason}` : '',
      })),
    reminders: [
      ...(type.warnings?.(r.data) ?? []),
      ...extra,
      ...(stage.status === 'pending' ? (type.approverNotes?.(r.data) ?? []) : []),
      ...(waitingForAnswer ? ['Waiting for the requester to answer your question. You can still decide now.'] : []),
    ],
    statusLine: line,
    statusColor: color,
    pending:
      stage.status === 'pending' &&
      r.stageIndex === stage.idx &&
      (r.status === 'pending' || r.status === 'info_requested'),
    requestId: r.id,
    stage: stage.idx,
  });
}

const STATE_WORDS: Record<StageRecord['status'], [string, string]> = {
  waiting: ['○', 'not started'],
  pending: ['●', 'waiting for a decision'],
  approved: ['✔', 'approved'],
  denied: ['✖', 'denied'],
  cancelled: ['–', 'cancelled'],
};

const HEADLINES: Record<RequestRecord['status'], string> = {
  pending: 'Your request is with the approvers',
  info_requested: 'An approver has asked you a question',
  approved: 'Your request is approved',
  denied: 'Your request was not approved',
  withdrawn: 'You withdrew this request',
};

export function requesterCard(
  cards: CardRenderer,
  school: SchoolConfig,
  type: RequestTypeDef,
  r: RequestRecord,
  opts: { forRequester: boolean; headline?: string; lines?: string[]; back?: '' | 'mine' | 'waiting' },
): Record<string, unknown> {
  const lines: string[] = [...(opts.lines ?? []), ...(type.warnings?.(r.data) ?? [])];
  for (const s of r.stages) {
    if (s.status === 'approved' && s.reason) lines.push(`Conditions set by ${s.decidedByName}: ${s.reason}`);
    if (s.status === 'denied') lines.push(`Reason given by ${s.decidedByName}: ${s.reason ?? ''}`);
  }
  if (r.status === 'approved') {
    // Written permission names the person, the thing permitted and who gave it.
    const by = [...new Set(r.stages.filter((s) => s.status === 'approved').map((s) => s.decidedByName))].join(', ');
    lines.push(
      `Written permission for ${r.requesterName}: ${type.summary(r.data)}. Approved by ${by} on ${formatSchoolTime(r.updatedAt, school.timezone)}. Keep this message.`,
    );
  }
  return cards.render('requests/status', {
    headline: opts.headline ?? HEADLINES[r.status],
    title: type.title,
    ref: r.ref,
    facts: cleanFacts(type.facts(r.data)),
    steps: r.stages.map((s) => {
      const [icon, state] = STATE_WORDS[s.status];
      const by = s.decidedByName && (s.status === 'approved' || s.status === 'denied') ? ` by ${s.decidedByName}` : '';
      return { icon, name: `${s.name} (${roleNames(stageRolesNow(s))})`, state: `${state}${by}` };
    }),
    lines,
    canWithdraw: opts.forRequester && (r.status === 'pending' || r.status === 'info_requested'),
    requestId: r.id,
    back: opts.back ?? '',
  });
}

export function questionCard(
  cards: CardRenderer,
  r: RequestRecord,
  asker: string,
  question: string,
): Record<string, unknown> {
  return cards.render('requests/question', { ref: r.ref, asker, question, requestId: r.id });
}

export function listCard(
  cards: CardRenderer,
  heading: string,
  empty: string,
  items: Record<string, unknown>[],
): Record<string, unknown> {
  return cards.render('requests/list', { heading, empty, items });
}

export function noticeCard(
  cards: CardRenderer,
  title: string,
  lines: string[],
  color = 'Default',
): Record<string, unknown> {
  return cards.render('common/notice', { title, lines, color });
}
