import { z } from 'zod';
import { DAY } from '../../clock';
import { requestsBetween } from '../../approvals/repo';
import { action, type Flow } from '../types';
import { periodMs } from '../termly';
import { REQUESTS_INTENTS } from './understands';
import { myRequests, stepsWaiting, waitingCard } from './lists';

const RequestId = z.string().uuid();

/** Lists and the buttons every approval card shares: decide, answer a question, withdraw, open. */
export const requestsFlow: Flow = {
  id: 'requests',
  menu: { title: 'My requests', description: 'See the requests you have made and withdraw one' },
  commands: ['my requests', 'requests'],
  start: async (actor, svc) => ({ card: await myRequests(actor, svc) }),
  waiting: (actor, svc) => stepsWaiting(actor, svc),
  /** Permission requests made in the term: how each kind ended, and how long a decision took. */
  async termly(svc, school, from, to) {
    const { start, end } = periodMs(school, from, to);
    const rows = await requestsBetween(svc.db, school.id, start, end);
    const decided = rows.filter((r) => r.status === 'approved' || r.status === 'denied');
    const days = decided.length
      ? decided.reduce((a, r) => a + (r.updated_at - r.created_at), 0) / decided.length / DAY
      : 0;
    const titles = new Map(svc.approvals.typesFor(school).map((t) => [t.key, t.title]));
    const kinds = [...new Set(rows.map((r) => r.type))].map((k) => ({
      label: `· ${titles.get(k) ?? k}`,
      value: String(rows.filter((r) => r.type === k).length),
    }));
    const n = (s: string) => String(rows.filter((r) => r.status === s).length);
    return {
      title: 'Permission requests',
      facts: [
        { label: 'Made', value: String(rows.length) },
        ...kinds,
        { label: 'Approved', value: n('approved') },
        { label: 'Denied', value: n('denied') },
        { label: 'Withdrawn', value: n('withdrawn') },
        { label: 'Still waiting', value: String(rows.length - decided.length - Number(n('withdrawn'))) },
        { label: 'Average time to a decision', value: decided.length ? `${days.toFixed(1)} days` : 'none decided' },
      ],
    };
  },
  understands: () => REQUESTS_INTENTS,
  onIntent: async (actor, u, svc) => ({
    card: u.intent === 'requests.waiting' ? await waitingCard(actor, svc) : await myRequests(actor, svc),
  }),
  actions: [
    action(
      'requests.decide',
      z
        .object({
          requestId: RequestId,
          stage: z.coerce.number().int().min(0).max(20),
          decision: z.enum(['approve', 'deny', 'info']),
          denyReason: z.string().max(500).optional(),
          infoQuestion: z.string().max(500).optional(),
          approveConditions: z.string().max(500).optional(),
        })
        .strict()
        .superRefine((d, ctx) => {
          if (d.decision === 'deny' && !d.denyReason?.trim())
            ctx.addIssue({ code: 'custom', path: ['denyReason'], message: 'a reason is needed to deny' });
          if (d.decision === 'info' && !d.infoQuestion?.trim())
            ctx.addIssue({ code: 'custom', path: ['infoQuestion'], message: 'please write the question' });
        }),
      async (actor, d, svc) => {
        const decision =
          d.decision === 'approve'
            ? { decision: 'approve' as const, conditions: d.approveConditions?.trim() || undefined }
            : d.decision === 'deny'
              ? { decision: 'deny' as const, reason: d.denyReason!.trim() }
              : { decision: 'info' as const, question: d.infoQuestion!.trim() };
        return { card: await svc.approvals.decide(actor, d.requestId, d.stage, decision) };
      },
    ),
    action(
      'requests.answer',
      z.object({ requestId: RequestId, answer: z.string().trim().min(1, 'please write an answer').max(1000) }).strict(),
      async (actor, d, svc) => ({
        card: await svc.approvals.answer(actor, d.requestId, d.answer),
      }),
    ),
    action('requests.withdraw', z.object({ requestId: RequestId }).strict(), async (actor, d, svc) => ({
      card: await svc.approvals.withdraw(actor, d.requestId),
    })),
    action(
      'requests.open',
      // `as`: the list it was opened from ("My requests" or "Waiting for my decision").
      z.object({ requestId: RequestId, as: z.enum(['requester', 'approver']).optional() }).strict(),
      async (actor, d, svc) => ({ card: await svc.approvals.open(actor, d.requestId, d.as) }),
    ),
    action('requests.list', z.object({ list: z.enum(['mine', 'waiting']) }).strict(), async (actor, d, svc) => ({
      card: d.list === 'mine' ? await myRequests(actor, svc) : await waitingCard(actor, svc),
    })),
  ],
};

/** What waits for the person's decision, across every kind of request. */
export const inboxFlow: Flow = {
  id: 'inbox',
  menu: { title: 'Waiting for my decision', description: 'Requests that wait for you to approve or deny' },
  commands: ['waiting for me', 'approvals', 'to approve', 'inbox'],
  start: async (actor, svc) => ({ card: await waitingCard(actor, svc) }),
  actions: [],
};
