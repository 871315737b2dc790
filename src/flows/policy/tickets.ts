// Questions passed to a person ("Ask a person"): the card to whoever answers them, sent as one group of copies.
import type { SchoolConfig } from '../../config';
import { formatSchoolTime } from '../../clock';
import { sendTask } from '../../outbox/tasks';
import type { Db } from '../../store/db';
import { type Services } from '../types';

export function ticketCard(svc: Services, school: SchoolConfig, t: TicketRow, back = ''): Record<string, unknown> {
  return svc.cards.render('policy/ticket', {
    back,
    ticketId: t.id,
    asker: t.asker_name,
    asked: formatSchoolTime(t.created_at, school.timezone),
    question: t.question,
    open: !t.answered_at,
    status: t.answered_at
      ? `Answered by ${t.answered_by_name}, ${formatSchoolTime(t.answered_at, school.timezone)}`
      : '',
    answer: t.answer ?? '',
  });
}

export interface TicketRow {
  id: string;
  school_id: string;
  asker_id: string;
  asker_name: string;
  question: string;
  created_at: number;
  answered_at: number | null;
  answered_by_name: string | null;
  answer: string | null;
}

export async function sendTicket(
  svc: Services,
  tx: Db,
  school: SchoolConfig,
  t: TicketRow,
  slot: string,
): Promise<number> {
  const holders = (await svc.directory.holders(school, [school.askAPersonRole], tx)).filter(
    (h) => svc.directory.selfApprovalAllowed || h.aadId !== t.asker_id,
  );
  return sendTask(tx, { school, group: `ticket:${t.id}` }, holders, ticketCard(svc, school, t), svc.clock.now(), slot);
}
