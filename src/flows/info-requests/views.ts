import { daysBetween, formatDate, formatSchoolTime, schoolDate } from '../../clock';
import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../../config';
import type { Actor, OutMessage } from '../../core';
import { newFormId } from '../forms';
import type { Services } from '../types';
import { dueOn } from './clock';
import { dueOf, ESCALATE_DAYS, HOW, KEEPERS, KINDS, REMIND_DAYS, type Row } from './model';
import { kindOf } from './understands';
import { policyLibrary } from '../policy';
import type { Answer } from '../policy/library';

/** "Due Mon 4 Jan 2027: 5 days left", "Overdue by 2 days", or the clock not yet running. */
export function clockLine(r: Row, today: string): { text: string; color: string } {
  if (r.closed_at) {
    const due = dueOf(r);
    const late = due && r.sent_on && r.sent_on > due;
    return {
      text: `Closed: answer sent ${r.sent_on ? formatDate(r.sent_on) : ''}${due ? (late ? `, late (due ${formatDate(due)})` : ', on time') : ''}.`,
      color: late ? 'Attention' : 'Good',
    };
  }
  const due = dueOf(r);
  if (!due) return { text: 'Waiting for proof of identity: the clock starts when it arrives.', color: 'Default' };
  const left = daysBetween(today, due);
  const extended = r.extended_to ? ' (extended)' : '';
  if (left < 0)
    return {
      text: `Overdue by ${-left} day${left === -1 ? '' : 's'}: it was due ${formatDate(due)}${extended}.`,
      color: 'Attention',
    };
  return {
    text: `Due ${formatDate(due)}${extended}: ${left === 0 ? 'today' : `${left} day${left === 1 ? '' : 's'} left`}.`,
    color: left <= ESCALATE_DAYS ? 'Attention' : left <= REMIND_DAYS ? 'Warning' : 'Default',
  };
}

export function itemCard(svc: Services, school: SchoolConfig, r: Row, headline = '', headlineColor = 'Good') {
  const clock = clockLine(r, schoolDate(svc.clock.now(), school.timezone));
  const facts: Array<{ label: string; value: string }> = [
    { label: 'From', value: r.requester },
    { label: 'Received', value: `${formatDate(r.received_on)} (${HOW[r.received_how]})` },
    { label: 'What they asked for', value: r.summary },
    { label: 'Logged by', value: `${r.logged_by_name}, ${formatSchoolTime(r.logged_at, school.timezone)}` },
  ];
  if (r.kind === 'sar')
    facts.push({
      label: 'Identity',
      value:
        r.identity === 'asked'
          ? r.clock_from
            ? `Confirmed ${formatDate(r.clock_from)}`
            : 'Proof asked for'
          : 'Confirmed',
    });
  if (r.extension_reason) facts.push({ label: 'Extended because', value: r.extension_reason });
  if (r.closed_at) facts.push({ label: 'What was sent', value: `${r.outcome ?? ''} (closed by ${r.closed_by_name})` });
  const today = schoolDate(svc.clock.now(), school.timezone);
  return svc.cards.render('info-requests/item', {
    id: r.id,
    headline,
    headlineColor,
    title: `${r.ref} · ${KINDS[r.kind]}`,
    clock: clock.text,
    clockColor: clock.color,
    facts,
    open: !r.closed_at,
    waitingForId: !r.closed_at && r.kind === 'sar' && !r.due_on,
    // An extension is for a subject access request still in its first month.
    canExtend: !r.closed_at && r.kind === 'sar' && Boolean(r.due_on) && !r.extended_to && today <= r.due_on!,
  });
}

export function formCard(svc: Services, values: Record<string, unknown>, error = ''): OutMessage {
  const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  return {
    card: svc.cards.render('info-requests/form', {
      formId: v('formId') || newFormId(),
      error,
      kind: v('kind'),
      requester: v('requester'),
      receivedOn: v('receivedOn'),
      receivedHow: v('receivedHow'),
      identity: v('identity'),
      summary: v('summary'),
    }),
  };
}

export async function logCard(svc: Services, school: SchoolConfig): Promise<OutMessage> {
  const today = schoolDate(svc.clock.now(), school.timezone);
  const open = await svc.db.all<Row>('SELECT * FROM info_requests WHERE school_id = ? AND closed_at IS NULL', [
    school.id,
  ]);
  open.sort((a, b) => (dueOf(a) ?? '9999').localeCompare(dueOf(b) ?? '9999'));
  const closed = await svc.db.all<Row>(
    'SELECT * FROM info_requests WHERE school_id = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT 20',
    [school.id],
  );
  const overdue = open.filter((r) => dueOf(r) && dueOf(r)! < today).length;
  return {
    card: svc.cards.render('info-requests/log', {
      summary: open.length
        ? `${open.length} open${overdue ? `, ${overdue} overdue` : ''}.`
        : 'Nothing open. Log a request the day it arrives.',
      open: open.map((r) => {
        const c = clockLine(r, today);
        return { id: r.id, line: `${r.ref} · ${KINDS[r.kind]} · ${c.text}`, color: c.color, who: r.requester };
      }),
      closed: closed.map((r) => ({ id: r.id, line: `${r.ref} · ${KINDS[r.kind]} · ${clockLine(r, today).text}` })),
    }),
  };
}

/** Whom staff pass a request on to: the office, which receives them, and the DPO, who answers for the school. */
const PASS_TO: readonly RoleKey[] = ['office', 'dpo'];

/** The day a request arriving today must be answered by, in the school's calendar. */
function dueIfToday(kind: 'sar' | 'foi', school: SchoolConfig, svc: Services): string {
  return formatDate(dueOn(kind, schoolDate(svc.clock.now(), school.timezone), school.holidays));
}

/** Whom to send a request to, one line each: the office and the DPO (the headteacher when neither is named). */
async function passTo(school: SchoolConfig, svc: Services): Promise<string> {
  const roles = PASS_TO.filter((r) => school.roles[r]);
  const who: string[] = [];
  for (const r of roles.length ? roles : (['headteacher'] as const)) {
    const holders = await svc.directory.describeHolders(school, r);
    who.push(`• ${ROLE_TITLES[r]}: ${holders.length ? holders.join(', ') : 'ask the school office'}`);
  }
  return who.join('\n');
}

/**
 * A member of staff asking for what the school holds about them: it is their own subject access
 * request. How to make it (in writing, to the office or the DPO) and the month the school has.
 */
export async function ownDataCard(actor: Actor, svc: Services): Promise<OutMessage> {
  const school = actor.school;
  const lines = [
    `You may ask ${school.name} for a copy of the personal data it holds about you. That is a subject access request: you need give no reason, and the school must answer within one calendar month of the day it receives it (by ${dueIfToday('sar', school, svc)} if it arrives today).`,
    `Ask in writing (an email is enough), saying what you want if it is not everything, for example your personnel file or the emails about one matter. Send it to:\n${await passTo(school, svc)}`,
  ];
  return {
    card: svc.cards.render('info-requests/received', {
      title: 'Asking for the data the school holds about you',
      lines,
      policy: '',
      policyCitation: '',
      canLog: false,
      kind: 'sar',
      summary: '',
    }),
  };
}

/** A passage that speaks of someone asking for information: "subject access", "FOI", or asking for copies, records or data. */
const ON_REQUESTS =
  /\b(?:subject access|freedom of information|foi|sars?)\b|\b(?:asks?|asking|asked|requests?|requested)\b[^.]*\b(?:cop(?:y|ies)|information|records?|data|files?)\b/i;

/**
 * What the school's own policy says of such a request, when it says: the law sets the time allowed
 * and the configuration whom to pass it to, but a school's procedure may say more (in writing or
 * not, "the same day", its own person; in Scotland, fifteen school days for a pupil's educational
 * record). Only a passage the policy search presents as the answer, and one that speaks of asking
 * for information: a policy silent on requests is not searched for "personal data" instead.
 */
async function policyOnRequests(
  actor: Actor,
  text: string,
  svc: Services,
): Promise<Answer['passages'][number] | undefined> {
  const answer = await (await policyLibrary(svc, actor.school)).answer(text).catch(() => undefined);
  return answer?.found ? answer.passages.slice(0, 1).find((p) => ON_REQUESTS.test(p.text)) : undefined;
}

/**
 * The reply to someone telling of a request for information they have received: what kind it is,
 * when the answer is due if it arrived today, whom to pass it to and how, and what the school's
 * own policy says of such requests when it says (see `policyOnRequests`). Those who keep the log
 * also get a button that opens the log's form with the kind and their words filled in.
 */
export async function receivedCard(actor: Actor, text: string, svc: Services): Promise<OutMessage> {
  const school = actor.school;
  const kind = kindOf(text);
  const due = dueIfToday(kind, school, svc);
  const lines = [
    kind === 'sar'
      ? `Anyone may ask for the personal data the school holds about them, or about a child they are responsible for, and the school must answer within one calendar month of the day the request arrived: by ${due} if it arrived today.`
      : `Anyone may ask for information the school holds, and the school must answer within 20 school days of the day the request arrived: by ${due} if it arrived today.`,
    `Pass it on today, just as it came (forward the email, hand over the letter, or write down what was asked on the phone and by whom). The time allowed runs from the day anyone at the school received it. Pass it to:\n${await passTo(school, svc)}`,
    'Do not answer it or send anything yourself, and do not delete or change anything it may cover.',
  ];
  const canLog = await svc.directory.holds(actor, KEEPERS);
  if (canLog) lines.push('You keep the school’s log: log it now, and the reminders run until it is answered.');
  const policy = await policyOnRequests(actor, text, svc);
  return {
    card: svc.cards.render('info-requests/received', {
      title: `That sounds like a ${KINDS[kind].toLowerCase()}`,
      lines,
      policy: policy?.text ?? '',
      policyCitation: policy ? `${policy.docTitle} · ${policy.section}` : '',
      canLog,
      kind,
      summary: text,
    }),
  };
}
