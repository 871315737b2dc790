import { daysBetween, formatDate, schoolDate } from '../../clock';
import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../../config';
import { enqueueSend } from '../../outbox/outbox';
import { once } from '../../store/counters';
import type { Db } from '../../store/db';
import type { Services } from '../types';
import { dueOf, ESCALATE_DAYS, REMIND_DAYS, type Row } from './model';
import * as store from './store';
import { itemCard } from './views';

/** Sends a request's card to the holders of some roles (the DPO, or the headteacher when there is none). */
export async function tell(
  svc: Services,
  tx: Db,
  school: SchoolConfig,
  r: Row,
  roles: RoleKey[],
  headline: string,
  slot: string,
) {
  let holders = await svc.directory.holders(school, roles, tx);
  if (!holders.length) holders = await svc.directory.holders(school, ['headteacher'], tx);
  for (const h of holders)
    await enqueueSend(
      tx,
      {
        schoolId: school.id,
        tenantId: school.tenantId,
        recipient: h,
        message: { card: itemCard(svc, school, r, headline, 'Attention') },
        cardKey: `info:${r.id}:${slot}:${h.key}`,
      },
      svc.clock.now(),
    );
}

/** The DPO is reminded a week before an answer is due; the DPO and headteacher two days before, and once it is overdue. */
export async function remind(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    const today = schoolDate(now, school.timezone);
    for (const r of await store.open(svc.db, school.id, { dueOnly: true })) {
      const due = dueOf(r)!;
      const left = daysBetween(today, due);
      const step =
        left < 0
          ? {
              slot: 'overdue',
              roles: ['dpo', 'headteacher'] as RoleKey[],
              text: `Overdue: ${r.ref} was due ${formatDate(due)}`,
            }
          : left <= ESCALATE_DAYS
            ? {
                slot: 'escalate',
                roles: ['dpo', 'headteacher'] as RoleKey[],
                text: `Due in ${left} day${left === 1 ? '' : 's'}: ${r.ref}`,
              }
            : left <= REMIND_DAYS
              ? { slot: 'remind', roles: ['dpo'] as RoleKey[], text: `Due in ${left} days: ${r.ref}` }
              : undefined;
      if (!step) continue;
      // Once per step and due date: an extension sets the reminders going again for the new date.
      const sent = await once(svc.db, [`info:${step.slot}:${r.id}:${due}`], now, (tx) =>
        tell(
          svc,
          tx,
          school,
          r,
          step.roles,
          `${step.text}. Answer it, or record what was sent, here.`,
          `${step.slot}:${due}`,
        ),
      );
      if (sent)
        svc.log.info(
          { school: school.id, request: r.id, step: step.slot, roles: step.roles.map((x) => ROLE_TITLES[x]) },
          'information request reminder',
        );
    }
  }
}
