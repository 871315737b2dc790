import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { formatDate, schoolDate } from '../../clock';
import { type SchoolConfig } from '../../config';
import type { Actor } from '../../core';

import { badInput, forbidden, notFound } from '../../errors';
import { exportLinkMessage } from '../../exports';

import { audit } from '../../store/audit';
import { nextRef } from '../../store/counters';
import type { Db } from '../../store/db';
import { FormSubmit, keysOf } from '../forms';
import { action, type Flow, type Services } from '../types';
import { share } from '../termly';
import { dueOn, extendedDueOn } from './clock';
import { dueOf, HOW, KEEPERS, KINDS, type Row } from './model';
import { clockLine, formCard, itemCard, logCard, ownDataCard, receivedCard } from './views';
import { INFO_REQUEST_INTENTS, OWN_DATA_INTENT } from './understands';
import { INFO_REQUESTS_SCHEMA } from './schema';
import * as store from './store';
import { logCsv } from './export';
import { remind, tell } from './reminders';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date');
const NewRequest = z
  .object({
    kind: z.enum(keysOf(KINDS), { message: 'say what kind of request it is' }),
    requester: z.string({ required_error: 'say who asked' }).trim().min(2, 'say who asked').max(300),
    receivedOn: z.string({ required_error: 'give the day it arrived' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date'),
    receivedHow: z.enum(keysOf(HOW), { message: 'say how it arrived' }),
    identity: z.enum(['checked', 'asked', 'na']).optional(),
    summary: z.string({ required_error: 'say what they asked for' }).trim().min(3, 'say what they asked for').max(2000),
  })
  .strict();
const Id = z.object({ id: z.string().uuid() });
const FIELD_NAMES: Record<string, string> = {
  kind: 'the kind of request',
  requester: 'who asked',
  receivedOn: 'the day it arrived',
  receivedHow: 'how it arrived',
  identity: 'the identity check',
  summary: 'what they asked for',
};

async function mayKeep(svc: Services, actor: Actor): Promise<void> {
  if (!(await svc.directory.holds(actor, KEEPERS)))
    throw forbidden('The subject access and FOI log is for the school office, the DPO and the headteacher.');
}

async function load(db: Db, school: SchoolConfig, id: string): Promise<Row> {
  const r = await store.byId(db, school.id, id);
  if (!r) throw notFound('That request is not in the log.');
  return r;
}

/**
 * The school's log of subject access and freedom-of-information requests, each with its legal
 * clock in the school's calendar, reminders as the due date nears, and a record of what was sent.
 */
export const infoRequestsFlow: Flow = {
  id: 'info-requests',
  schema: INFO_REQUESTS_SCHEMA,
  /** Open requests, for the people who keep the log: the soonest due first. */
  async waiting(actor, svc) {
    if (!(await svc.directory.holds(actor, KEEPERS))) return [];
    const today = schoolDate(svc.clock.now(), actor.school.timezone);
    const rows = await store.open(svc.db, actor.school.id);
    return rows.map((r) => ({
      kind: 'info-request' as const,
      id: r.id,
      ref: r.ref,
      summary: KINDS[r.kind],
      state: clockLine(r, today).text,
      since: r.logged_at,
    }));
  },
  /** Requests received in the term, of each kind: answered on time, late, still open. */
  async termly(svc, school, from, to) {
    const rows = await store.receivedBetween(svc.db, school.id, from, to);
    const today = schoolDate(svc.clock.now(), school.timezone);
    const facts = (['sar', 'foi'] as const).flatMap((kind) => {
      const of = rows.filter((r) => r.kind === kind);
      const answered = of.filter((r) => r.sent_on);
      const onTime = answered.filter((r) => dueOf(r) && r.sent_on! <= dueOf(r)!).length;
      const open = of.filter((r) => !r.closed_at);
      const overdue = open.filter((r) => dueOf(r) && dueOf(r)! < today).length;
      return [
        { label: `${KINDS[kind]}s received`, value: String(of.length) },
        { label: '· Answered on time', value: share(onTime, answered.length) },
        { label: '· Still open', value: `${open.length}${overdue ? ` (${overdue} overdue)` : ''}` },
      ];
    });
    return { title: 'Subject access and FOI requests', facts };
  },
  understands: () => [...INFO_REQUEST_INTENTS, OWN_DATA_INTENT],
  onIntent: (actor, u, svc) =>
    u.intent === OWN_DATA_INTENT.id ? ownDataCard(actor, svc) : receivedCard(actor, u.text.trim().slice(0, 2000), svc),
  commands: ['sar log', 'foi log', 'subject access log', 'information requests', 'log a sar', 'log an foi'],
  async start(actor, svc) {
    await mayKeep(svc, actor);
    return logCard(svc, actor.school);
  },
  actions: [
    action('info-requests.log', z.object({}).strict(), async (actor, _d, svc) => {
      await mayKeep(svc, actor);
      return logCard(svc, actor.school);
    }),
    // From the log, or from a message telling of a request ("Log it"): the kind and the person's words filled in.
    action(
      'info-requests.new',
      z.object({ kind: z.enum(keysOf(KINDS)).optional(), summary: z.string().max(2000).optional() }).strict(),
      async (actor, d, svc) => {
        await mayKeep(svc, actor);
        return formCard(svc, d);
      },
    ),
    action('info-requests.save', FormSubmit, async (actor, data, svc) => {
      await mayKeep(svc, actor);
      const { formId, ...rest } = data;
      const input = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
      const parsed = NewRequest.safeParse(input);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        return formCard(
          svc,
          data,
          `Please check ${FIELD_NAMES[String(i.path[0])] ?? 'the form'}: ${i.message}. Nothing was saved yet.`,
        );
      }
      const d = parsed.data;
      const school = actor.school;
      const today = schoolDate(svc.clock.now(), school.timezone);
      if (d.receivedOn > today)
        return formCard(svc, data, 'The day it arrived cannot be in the future. Nothing was saved yet.');
      const identity = d.kind === 'foi' ? 'na' : (d.identity ?? 'checked');
      if (d.kind === 'sar' && identity === 'na')
        return formCard(
          svc,
          data,
          'A subject access request needs the requester’s identity confirmed, or asked for. Nothing was saved yet.',
        );
      const now = svc.clock.now();
      const clockFrom = identity === 'asked' ? null : d.receivedOn;
      const { row, created } = await svc.db.transaction(async (tx) => {
        const existing = await store.byFormKey(tx, formId);
        if (existing) return { row: existing, created: false };
        const year = Number(d.receivedOn.slice(0, 4));
        const r: Row = {
          id: randomUUID(),
          school_id: school.id,
          kind: d.kind,
          ref: await nextRef(tx, school.id, d.kind.toUpperCase(), year),
          requester: d.requester,
          received_on: d.receivedOn,
          received_how: d.receivedHow,
          identity,
          clock_from: clockFrom,
          summary: d.summary,
          due_on: clockFrom ? dueOn(d.kind, clockFrom, school.holidays) : null,
          extended_to: null,
          extension_reason: null,
          logged_by_name: actor.name,
          logged_at: now,
          closed_at: null,
          closed_by_name: null,
          sent_on: null,
          outcome: null,
        };
        await store.insert(tx, r, formId, actor.id);
        await audit(tx, {
          at: now,
          schoolId: school.id,
          actorId: actor.id,
          action: 'info_request.logged',
          subject: r.id,
          detail: { ref: r.ref, kind: r.kind },
        });
        await tell(svc, tx, school, r, ['dpo'], `New ${KINDS[r.kind].toLowerCase()} logged by ${actor.name}`, 'logged');
        return { row: r, created: true };
      });
      svc.deliver();
      return { card: itemCard(svc, school, row, created ? `Logged: ${row.ref}` : `Already logged: ${row.ref}`) };
    }),
    action('info-requests.open', Id.strict(), async (actor, d, svc) => {
      await mayKeep(svc, actor);
      return { card: itemCard(svc, actor.school, await load(svc.db, actor.school, d.id)) };
    }),
    action('info-requests.identity', Id.extend({ on: IsoDate }).strict(), async (actor, d, svc) => {
      await mayKeep(svc, actor);
      const school = actor.school;
      const r = await load(svc.db, school, d.id);
      if (r.closed_at || r.kind !== 'sar' || r.due_on)
        return { card: itemCard(svc, school, r, 'The clock is already running.', 'Default') };
      if (d.on < r.received_on || d.on > schoolDate(svc.clock.now(), school.timezone))
        throw badInput('The day the proof arrived must be between the day the request arrived and today.');
      const due = dueOn('sar', d.on, school.holidays);
      await svc.db.transaction(async (tx) => {
        await store.startClock(tx, r.id, d.on, due);
        await audit(tx, {
          at: svc.clock.now(),
          schoolId: school.id,
          actorId: actor.id,
          action: 'info_request.identity_confirmed',
          subject: r.id,
          detail: { on: d.on },
        });
      });
      return { card: itemCard(svc, school, await load(svc.db, school, r.id), `Clock started: due ${formatDate(due)}`) };
    }),
    action(
      'info-requests.extend',
      Id.extend({ reason: z.string().trim().min(10, 'give the reason in a sentence').max(1000) }).strict(),
      async (actor, d, svc) => {
        await mayKeep(svc, actor);
        const school = actor.school;
        const r = await load(svc.db, school, d.id);
        const today = schoolDate(svc.clock.now(), school.timezone);
        if (r.closed_at || r.kind !== 'sar' || !r.due_on || r.extended_to)
          return { card: itemCard(svc, school, r, 'This request cannot be extended.', 'Attention') };
        if (today > r.due_on)
          throw badInput(
            'An extension has to be decided, and the requester told, within the first month: that has passed.',
          );
        const to = extendedDueOn(r.clock_from!);
        await svc.db.transaction(async (tx) => {
          await store.extend(tx, r.id, to, d.reason);
          await audit(tx, {
            at: svc.clock.now(),
            schoolId: school.id,
            actorId: actor.id,
            action: 'info_request.extended',
            subject: r.id,
            detail: { to },
          });
        });
        return { card: itemCard(svc, school, await load(svc.db, school, r.id), `Extended: now due ${formatDate(to)}`) };
      },
    ),
    action(
      'info-requests.close',
      Id.extend({ sentOn: IsoDate, outcome: z.string().trim().min(3, 'say what was sent').max(2000) }).strict(),
      async (actor, d, svc) => {
        await mayKeep(svc, actor);
        const school = actor.school;
        const r = await load(svc.db, school, d.id);
        if (r.closed_at) return { card: itemCard(svc, school, r, 'Already closed.', 'Default') };
        if (d.sentOn < r.received_on || d.sentOn > schoolDate(svc.clock.now(), school.timezone))
          throw badInput('The day it was sent must be between the day the request arrived and today.');
        const now = svc.clock.now();
        await svc.db.transaction(async (tx) => {
          await store.close(tx, r.id, { at: now, byName: actor.name, sentOn: d.sentOn, outcome: d.outcome });
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: actor.id,
            action: 'info_request.closed',
            subject: r.id,
            detail: { sentOn: d.sentOn },
          });
        });
        return { card: itemCard(svc, school, await load(svc.db, school, r.id), `Closed: ${r.ref}`) };
      },
    ),
    action('info-requests.export', z.object({}).strict(), async (actor, _d, svc) => {
      await mayKeep(svc, actor);
      return exportLinkMessage(svc, actor, 'info-requests', 'Subject access and FOI log export', 'the log');
    }),
  ],
  exports: {
    'info-requests': async (svc, actor) => {
      await mayKeep(svc, actor);
      return logCsv(svc, actor.school);
    },
  },
  tick: remind,
};
