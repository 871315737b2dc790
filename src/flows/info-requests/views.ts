import { daysBetween, formatDate, formatSchoolTime, schoolDate } from '../../clock';
import type { SchoolConfig } from '../../config';
import type { OutMessage } from '../../core';
import { newFormId } from '../forms';
import type { Services } from '../types';
import { dueOf, ESCALATE_DAYS, HOW, KINDS, REMIND_DAYS, type Row } from './model';

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
