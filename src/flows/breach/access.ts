/** Who handles a breach and who may see it, and the handlers' cards: one task group per breach. */
import type { Breach } from './store';
import { type RoleKey, type SchoolConfig } from '../../config';
import type { Actor } from '../../core';
import { conditionHolds } from '../../approvals/conditions';
import type { Recipient } from '../../identity/directory';
import { refreshTask, sendTask } from '../../outbox/tasks';
import type { Db } from '../../store/db';
import type { Services } from '../types';
import { BreachReport, DEFAULT_BREACH_ROUTE, type BreachRecord } from './model';
import { handlerCard } from './views';

export const ESCALATE_TO: RoleKey[] = ['headteacher', 'dpo'];

/** The roles that handle this report, from the school's routing and the report's answers. */
export function handlerRolesFor(school: SchoolConfig, report: BreachReport): RoleKey[] {
  const stages = school.routing.breach?.stages ?? DEFAULT_BREACH_ROUTE;
  return [
    ...new Set(
      stages
        .filter((s) => conditionHolds(s.when, report as unknown as Record<string, unknown>))
        .flatMap((s) => s.roles),
    ),
  ];
}

/** Everyone who may see and act on a breach: its handlers, the headteacher and the DPO, minus anyone it concerns. */
export async function mayHandle(svc: Services, db: Db, actor: Actor, b: Breach): Promise<boolean> {
  if (actor.id === b.reporterId && !svc.directory.selfApprovalAllowed) return false;
  const roles = [...new Set([...b.record.handlerRoles, ...ESCALATE_TO])];
  if (!(await svc.directory.holds(actor, roles, db))) return false;
  if (
    b.record.excludedRoles.length &&
    !svc.directory.selfApprovalAllowed &&
    (await svc.directory.holds(actor, b.record.excludedRoles, db))
  )
    return false;
  return true;
}

/** Holders of `roles`, without the reporter and without anyone the report concerns. */
export async function recipients(
  svc: Services,
  tx: Db,
  school: SchoolConfig,
  roles: RoleKey[],
  b: { reporterId: string; record: BreachRecord },
): Promise<Recipient[]> {
  const excluded = new Set((await svc.directory.holders(school, b.record.excludedRoles, tx)).map((h) => h.key));
  if (svc.directory.selfApprovalAllowed) excluded.clear();
  return (await svc.directory.holders(school, roles, tx)).filter(
    (h) => !excluded.has(h.key) && (svc.directory.selfApprovalAllowed || h.aadId !== b.reporterId),
  );
}

/** The roles who may view the breach log of a school: every breach handler role, the headteacher and the DPO. */
export function logRoles(school: SchoolConfig): RoleKey[] {
  const stages = school.routing.breach?.stages ?? DEFAULT_BREACH_ROUTE;
  return [...new Set([...stages.flatMap((s) => s.roles), ...ESCALATE_TO])];
}

export async function sendHandlerCard(
  svc: Services,
  tx: Db,
  school: SchoolConfig,
  b: Breach,
  h: Recipient,
  slot: string,
  banner?: string,
): Promise<void> {
  await sendTask(
    tx,
    { school, group: `breach:${b.id}` },
    [h],
    handlerCard(svc, school, b, banner),
    svc.clock.now(),
    slot,
  );
}

/** Re-renders every card of this breach, for everyone who has one. */
export async function refreshCards(svc: Services, tx: Db, school: SchoolConfig, b: Breach): Promise<void> {
  await refreshTask(tx, { school, group: `breach:${b.id}` }, handlerCard(svc, school, b), svc.clock.now());
}
