import type { RoleKey } from '../../config';
import { formatSchoolTime } from '../../clock';
import type { Actor } from '../../core';
import { listForRequester, pendingStages } from '../../approvals/repo';
import { listCard } from '../../approvals/views';
import type { Services, WaitingItem } from '../types';

/** "My requests": the person's own requests, newest first, each opened as its requester. */
export async function myRequests(actor: Actor, svc: Services): Promise<Record<string, unknown>> {
  const rows = await listForRequester(svc.db, actor.school.id, actor.id);
  const items = rows.map((r) => {
    const t = svc.approvals.type(actor.school, r.type);
    return {
      ref: r.ref,
      summary: t.summary(JSON.parse(r.data)),
      state: `${t.title} · ${r.status.replace('_', ' ')} · ${formatSchoolTime(r.created_at, actor.school.timezone)}`,
      requestId: r.id,
      as: 'requester',
      kind: 'approval',
    };
  });
  return listCard(svc.cards, 'Your requests', 'You have not made any requests yet.', items);
}

/** The request steps waiting for this person's decision, oldest first. */
export async function stepsWaiting(actor: Actor, svc: Services): Promise<WaitingItem[]> {
  const out: WaitingItem[] = [];
  for (const p of await pendingStages(svc.db, actor.school.id)) {
    const roles = [
      ...(JSON.parse(p.roles) as string[]),
      ...(p.escalated_at ? (JSON.parse(p.escalate_to) as string[]) : []),
    ];
    if (!svc.directory.selfApprovalAllowed && p.requester_id === actor.id) continue;
    if (!(await svc.directory.holds(actor, roles as RoleKey[]))) continue;
    const t = svc.approvals.type(actor.school, p.type);
    out.push({
      ref: p.ref,
      summary: t.summary(JSON.parse(p.data)),
      // Who asked, and how long it has waited for this step.
      state: `${t.title} · asked by ${p.requester_name}${p.started_at ? ` · waiting since ${formatSchoolTime(p.started_at, actor.school.timezone)}` : ''}`,
      requestId: p.request_id,
      kind: 'approval',
      as: 'approver',
      since: p.started_at ?? 0,
    });
    if (out.length >= 25) break;
  }
  return out;
}

/** "Waiting for you": everything waiting for the person across the flows, oldest first. */
export async function waitingCard(actor: Actor, svc: Services): Promise<Record<string, unknown>> {
  const items: WaitingItem[] = [];
  for (const f of svc.flows) if (f.waiting) items.push(...(await f.waiting(actor, svc)));
  items.sort((a, b) => a.since - b.since);
  return listCard(
    svc.cards,
    'Waiting for you',
    'Nothing is waiting for you.',
    items.slice(0, 25) as unknown as Record<string, unknown>[],
  );
}
