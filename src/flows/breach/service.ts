import { loadBreach, toBreach, type Breach, type BreachRow } from './store';
import { ESCALATE_TO, handlerRolesFor, logRoles, mayHandle, recipients, refreshCards, sendHandlerCard } from './access';
import { randomUUID } from 'node:crypto';
import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../../config';
import { formatSchoolTime, fromSchoolTime, HOUR, schoolDate, zonedParts } from '../../clock';
import type { Actor } from '../../core';
import { badInput, forbidden, notFound } from '../../errors';
import { describeProblems } from '../../approvals/conditions';
import { enqueueSend, sendOrUpdate } from '../../outbox/outbox';
import { actOnTask } from '../../outbox/tasks';
import { audit } from '../../store/audit';
import { nextRef } from '../../store/counters';
import type { Db } from '../../store/db';
import type { Services, WaitingItem } from '../types';
import {
  againstAssessment,
  BreachReport,
  CATEGORIES,
  isNearMiss,
  REPORT_LABELS,
  type BreachRecord,
  type IcoDetails,
  type Risk,
} from './model';
import { lastConfirmed } from '../acknowledgement';
import { BREACH_FALLBACK_ROLES } from '../../config';
import { handlerCard, icoCopyCard, progressCard, receiptCard } from './views';

function awareAt(school: SchoolConfig, r: BreachReport, now: number): number {
  if (!r.discoveredOn) return now;
  const t = fromSchoolTime(r.discoveredOn, r.discoveredAt ?? '00:00', school.timezone);
  // The clock never starts later than the report, and a date in the future is a slip.
  return Math.min(t, now);
}

/** Stores a report, alerts its handlers at once, and returns the reporter's receipt. */
export async function report(
  svc: Services,
  actor: Actor,
  formId: string,
  raw: Record<string, unknown>,
): Promise<{ card: Record<string, unknown>; created: boolean }> {
  const parsed = BreachReport.safeParse(raw);
  if (!parsed.success) throw badInput(describeProblems(parsed.error.issues, REPORT_LABELS));
  const r = parsed.data;
  const now = svc.clock.now();
  const school = actor.school;
  if (r.happenedOn && r.happenedOn > schoolDate(now, school.timezone))
    throw badInput('Please check the form. When it happened: that date is in the future.');
  if (r.discoveredOn && r.discoveredOn > schoolDate(now, school.timezone))
    throw badInput('Please check the form. When it was discovered: that date is in the future.');
  const formKey = `${actor.tenantId}:${actor.id}:breach:${formId}`;

  const out = await svc.db.transaction(async (tx) => {
    const existing = await tx.get<BreachRow>(
      'SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE form_key = ?',
      [formKey],
    );
    if (existing) return { breach: toBreach(existing), created: false, alerted: [] as string[] };
    const aware = awareAt(school, r, now);
    const record: BreachRecord = {
      report: r,
      reporterName: actor.name,
      reportedAt: now,
      awareAt: aware,
      deadline: aware + 72 * HOUR,
      status: 'reported',
      handlerRoles: handlerRolesFor(school, r),
      excludedRoles: r.concernsRole === 'none' ? [] : [r.concernsRole],
      escalated: false,
      actions: [],
      reporterConfirmedAt: await lastConfirmed(tx, school.id, actor.id),
    };
    const b: Breach = {
      id: randomUUID(),
      ref: await nextRef(tx, school.id, 'BR', zonedParts(now, school.timezone).year),
      schoolId: school.id,
      reporterId: actor.id,
      version: 1,
      record,
    };
    let to = await recipients(svc, tx, school, record.handlerRoles, b);
    if (!to.length) {
      // The usual handler reported it, or it is about them: it goes to the next people in line,
      // the headteacher and the DPO together, else the first of the other roles with someone.
      const lines: RoleKey[][] = [
        ESCALATE_TO,
        ...BREACH_FALLBACK_ROLES.filter((r) => !ESCALATE_TO.includes(r)).map((r) => [r]),
      ];
      for (const line of lines) {
        const roles = line.filter((x) => !record.excludedRoles.includes(x));
        to = roles.length ? await recipients(svc, tx, school, roles, b) : [];
        if (to.length) {
          record.handlerRoles = roles.filter(
            (x) => (school.roles[x] ?? []).length || svc.directory.selfApprovalAllowed,
          );
          break;
        }
      }
    }
    // The receipt names exactly who was told.
    record.told = await Promise.all(to.map((h) => svc.directory.describe(school.tenantId, h, tx)));
    if (!to.length) svc.log.error({ school: school.id, ref: b.ref }, 'a breach report reached nobody');
    await tx.run(
      `INSERT INTO breaches (id, school_id, ref, form_key, reporter_id, created_at, aware_at, status, ico_decided_at, closed_at, version, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'reported', NULL, NULL, 1, ?)`,
      [b.id, school.id, b.ref, formKey, actor.id, now, aware, JSON.stringify(record)],
    );
    await tx.run(
      'INSERT INTO breach_versions (breach_id, version, at, actor_id, actor_name, change, record) VALUES (?, 1, ?, ?, ?, ?, ?)',
      [b.id, now, actor.id, actor.name, 'reported', JSON.stringify(record)],
    );
    await audit(tx, {
      at: now,
      schoolId: school.id,
      actorId: actor.id,
      action: 'breach.reported',
      subject: b.id,
      detail: { ref: b.ref, category: r.category },
    });
    for (const h of to) await sendHandlerCard(svc, tx, school, b, h, 'main');
    const channel = school.breach.alertChannel;
    if (channel) {
      // The channel hears only that a report exists: no category, no names, no content.
      const key = `channel:${channel.conversationId}`;
      await svc.directory.rememberChannel(
        {
          tenantId: school.tenantId,
          aadId: key,
          conversationId: channel.conversationId,
          serviceUrl: channel.serviceUrl,
          botId: `28:${svc.config.credentials?.appId ?? 'local-bot'}`,
          userId: '',
        },
        now,
        tx,
      );
      await enqueueSend(
        tx,
        {
          schoolId: school.id,
          tenantId: school.tenantId,
          recipient: { key, aadId: key },
          message: {
            text: `A data breach report, ${b.ref}, was made at ${formatSchoolTime(now, school.timezone)}. The people who handle it have it in their 1:1 chat with the bot.`,
          },
        },
        now,
      );
    }
    return { breach: b, created: true, alerted: record.handlerRoles.map((x) => ROLE_TITLES[x]) };
  });
  if (out.created) svc.deliver();
  return { card: receiptCard(svc, school, out.breach, out.created), created: out.created };
}

export type Change =
  | { kind: 'acknowledge' }
  | { kind: 'assess'; risk: Risk; notes: string }
  | {
      kind: 'decide';
      notify: boolean;
      reason: string;
      tell: boolean;
      tellReason: string;
      delayReason?: string;
      againstReason?: string;
    }
  | { kind: 'details'; details: IcoDetails }
  | { kind: 'action'; text: string }
  | { kind: 'notified'; who: 'ico' | 'people'; on: number; detail: string }
  | { kind: 'close'; summary: string };

const CHANGE_NAMES: Record<Change['kind'], string> = {
  acknowledge: 'acknowledged',
  assess: 'assessed',
  decide: 'ico-decision',
  details: 'details-recorded',
  action: 'action-recorded',
  notified: 'notified',
  close: 'closed',
};

/**
 * Applies one handler's change as a new version of the record. Only a handler may; a change on a
 * closed record, or one that skips a step, is refused with a clear message.
 */
export async function change(
  svc: Services,
  actor: Actor,
  breachId: string,
  c: Change,
): Promise<Record<string, unknown>> {
  const now = svc.clock.now();
  const school = actor.school;
  let b!: Breach;
  const card = await actOnTask({ db: svc.db, directory: svc.directory, now }, actor, {
    may: async (tx) => {
      const found = await loadBreach(tx, breachId);
      if (!found || found.schoolId !== school.id) throw notFound('That breach report was not found.');
      b = found;
      return mayHandle(svc, tx, actor, b);
    },
    subject: breachId,
    refused: {
      action: 'breach.refused',
      message: 'Only the people who handle breach reports can see or change this one. Your click changed nothing.',
      detail: { change: c.kind },
    },
    act: (tx) => applyChange(svc, tx, actor, b, c),
  });
  svc.deliver();
  return card;
}

/** One change to a breach the actor may handle, as a new version, with the cards and messages it owes. */
async function applyChange(
  svc: Services,
  tx: Db,
  actor: Actor,
  b: Breach,
  c: Change,
): Promise<Record<string, unknown>> {
  const now = svc.clock.now();
  const school = actor.school;
  const rec: BreachRecord = structuredClone(b.record);
  const by = { by: actor.id, byName: actor.name, at: now };
  if (rec.status === 'closed') throw badInput(`${b.ref} is closed, so nothing was changed.`);
  switch (c.kind) {
    case 'acknowledge':
      if (rec.acknowledged) return handlerCard(svc, school, b);
      rec.acknowledged = by;
      if (rec.status === 'reported') rec.status = 'acknowledged';
      break;
    case 'assess':
      rec.assessment = { ...by, risk: c.risk, notes: c.notes };
      rec.acknowledged ??= by;
      if (rec.status === 'reported' || rec.status === 'acknowledged') rec.status = 'assessed';
      break;
    case 'decide': {
      if (!rec.assessment) throw badInput('Assess the risk first: the decision to tell the ICO follows from it.');
      if (isNearMiss(rec))
        throw badInput(
          'This was assessed as a near miss, so no decision about the ICO is needed. If it was a breach after all, save a new assessment first. Nothing was saved.',
        );
      // A breach assessed as a risk to people must be reported (UK GDPR Art. 33): deciding
      // otherwise, or the other way round, is kept only with the reason it departs from the assessment.
      const against = againstAssessment(rec.assessment.risk, c.notify, c.tell);
      if (against && !c.againstReason)
        throw badInput(
          `You decided ${against}. Nothing was saved: either give the reason the decision departs from the assessment (it is kept in the breach log), or save a new assessment first.`,
        );
      const late = now > rec.deadline;
      if (late && !c.delayReason)
        throw badInput(
          'It is more than 72 hours since the school became aware: give the reasons for the delay. Nothing was saved yet.',
        );
      rec.ico = {
        ...by,
        notify: c.notify,
        reason: c.reason,
        late,
        delayReason: c.delayReason,
        ...(against ? { against, againstReason: c.againstReason } : {}),
      };
      rec.affected = { ...by, tell: c.tell, reason: c.tellReason };
      rec.status = 'decided';
      break;
    }
    case 'details':
      rec.details = { ...by, ...c.details };
      rec.acknowledged ??= by;
      if (rec.status === 'reported') rec.status = 'acknowledged';
      break;
    case 'action':
      rec.actions.push({ ...by, text: c.text });
      rec.acknowledged ??= by;
      if (rec.status === 'reported') rec.status = 'acknowledged';
      break;
    case 'notified': {
      if (!rec.ico) throw badInput('Record the decision about telling the ICO first.');
      if (c.on > now) throw badInput('That date is in the future. Nothing was saved.');
      if (c.who === 'ico') {
        if (!rec.ico.notify) throw badInput('The decision was not to tell the ICO. Nothing was saved.');
        rec.icoNotified = { ...by, on: c.on, reference: c.detail };
        rec.icoReference = c.detail;
      } else {
        if (!rec.affected?.tell) throw badInput('The decision was not to tell the people affected. Nothing was saved.');
        rec.peopleTold = { ...by, on: c.on, how: c.detail };
      }
      break;
    }
    case 'close':
      if (!rec.ico && !isNearMiss(rec))
        throw badInput(
          'Record the decision about telling the ICO before closing: every breach needs one, with its reason.',
        );
      if (rec.ico?.notify && !rec.icoNotified)
        throw badInput('The ICO was to be told: record when it was told, and its reference, before closing.');
      if (rec.affected?.tell && !rec.peopleTold)
        throw badInput('The people affected were to be told: record when and how, before closing.');
      rec.closed = { ...by, summary: c.summary };
      rec.status = 'closed';
      break;
  }
  const version = b.version + 1;
  const won = await tx.run(
    `UPDATE breaches SET record = ?, version = ?, status = ?, ico_decided_at = ?, closed_at = ? WHERE id = ? AND version = ?`,
    [JSON.stringify(rec), version, rec.status, rec.ico?.at ?? null, rec.closed?.at ?? null, b.id, b.version],
  );
  if (won.changes !== 1)
    throw badInput(
      'Someone else changed this report at the same moment. Nothing was saved: please look at the latest version and try again.',
    );
  await tx.run(
    'INSERT INTO breach_versions (breach_id, version, at, actor_id, actor_name, change, record) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [b.id, version, now, actor.id, actor.name, CHANGE_NAMES[c.kind], JSON.stringify(rec)],
  );
  await audit(tx, {
    at: now,
    schoolId: school.id,
    actorId: actor.id,
    action: `breach.${CHANGE_NAMES[c.kind]}`,
    subject: b.id,
    detail: { version },
  });
  const fresh: Breach = { ...b, version, record: rec };
  await refreshCards(svc, tx, school, fresh);
  // The reporter's progress card: sent at the first step, updated in place at every later one.
  await sendOrUpdate(
    tx,
    {
      schoolId: school.id,
      tenantId: school.tenantId,
      recipient: { key: b.reporterId, aadId: b.reporterId },
      message: { card: progressCard(svc, school, fresh) },
      cardKey: `breach-progress:${b.id}`,
    },
    now,
  );
  if (c.kind === 'close') {
    await enqueueSend(
      tx,
      {
        schoolId: school.id,
        tenantId: school.tenantId,
        recipient: { key: b.reporterId, aadId: b.reporterId },
        message: {
          text: `Your breach report ${b.ref} has been dealt with and closed. Thank you for reporting it promptly.`,
        },
      },
      now,
    );
  }
  return handlerCard(svc, school, fresh);
}

/**
 * A breach as a handler may see it, or undefined for someone who may not: every view, and every
 * refusal, is audited (`action` names the view).
 */
async function view(
  svc: Services,
  actor: Actor,
  breachId: string,
  action: string,
): Promise<{ b: Breach; allowed: boolean }> {
  const b = await loadBreach(svc.db, breachId);
  if (!b || b.schoolId !== actor.school.id) throw notFound('That breach report was not found.');
  const allowed = await mayHandle(svc, svc.db, actor, b);
  await audit(svc.db, {
    at: svc.clock.now(),
    schoolId: actor.school.id,
    actorId: actor.id,
    action: allowed ? action : 'breach.view_refused',
    subject: b.id,
  });
  return { b, allowed };
}

/** Opens a breach for a handler; its reporter sees their receipt. */
export async function open(svc: Services, actor: Actor, breachId: string): Promise<Record<string, unknown>> {
  const { b, allowed } = await view(svc, actor, breachId, 'breach.viewed');
  if (allowed) return handlerCard(svc, actor.school, b);
  if (actor.id === b.reporterId) return receiptCard(svc, actor.school, b, false);
  throw forbidden('Only the people who handle breach reports can open this one.');
}

/** The record in the order of the ICO's form, for a handler. */
export async function icoCopy(svc: Services, actor: Actor, breachId: string): Promise<Record<string, unknown>> {
  const { b, allowed } = await view(svc, actor, breachId, 'breach.ico_copy_viewed');
  if (!allowed) throw forbidden('Only the people who handle breach reports can open this one.');
  return icoCopyCard(svc, actor.school, b);
}

/** Recent breaches of the school for the log card; only for those who may see the log. */
export async function listForLog(svc: Services, actor: Actor, limit = 20): Promise<Breach[]> {
  if (!(await svc.directory.holds(actor, logRoles(actor.school)))) {
    await audit(svc.db, {
      at: svc.clock.now(),
      schoolId: actor.school.id,
      actorId: actor.id,
      action: 'breach.log_refused',
      subject: actor.school.id,
    });
    throw forbidden('The breach log is only for the people who handle breaches, the headteacher and the DPO.');
  }
  await audit(svc.db, {
    at: svc.clock.now(),
    schoolId: actor.school.id,
    actorId: actor.id,
    action: 'breach.log_viewed',
    subject: actor.school.id,
  });
  const rows = await svc.db.all<BreachRow>(
    'SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE school_id = ? ORDER BY created_at DESC LIMIT ?',
    [actor.school.id, limit],
  );
  const out: Breach[] = [];
  for (const r of rows.map(toBreach)) {
    // A report about someone is not shown to them, even in the log.
    if (
      r.record.excludedRoles.length &&
      !svc.directory.selfApprovalAllowed &&
      (await svc.directory.holds(actor, r.record.excludedRoles))
    )
      continue;
    out.push(r);
  }
  return out;
}

/** Open breaches this person handles, for "Waiting for you": nothing they may not see. */
export async function waitingFor(svc: Services, actor: Actor): Promise<WaitingItem[]> {
  const rows = await svc.db.all<BreachRow>(
    'SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE school_id = ? AND closed_at IS NULL ORDER BY created_at LIMIT 50',
    [actor.school.id],
  );
  const out: WaitingItem[] = [];
  for (const b of rows.map(toBreach)) {
    if (!(await mayHandle(svc, svc.db, actor, b))) continue;
    const r = b.record;
    out.push({
      kind: 'breach',
      breachId: b.id,
      ref: b.ref,
      summary: `Data breach: ${CATEGORIES[r.report.category]}`,
      state: `${isNearMiss(r) ? 'near miss' : r.status === 'reported' ? 'not yet acknowledged' : r.status} · reported ${formatSchoolTime(r.reportedAt, actor.school.timezone)}${r.ico || isNearMiss(r) ? '' : ` · ICO decision due ${formatSchoolTime(r.deadline, actor.school.timezone)}`}`,
      since: r.reportedAt,
    });
  }
  return out;
}
