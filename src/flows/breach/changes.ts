// A handler's changes to a breach record: assessment, the ICO decision and report, actions, telling people, closing.
import { loadBreach, type Breach } from './store';
import { mayHandle, refreshCards } from './access';
import type { Actor } from '../../core';
import { badInput, notFound } from '../../errors';
import { enqueueSend, sendOrUpdate } from '../../outbox/outbox';
import { actOnTask } from '../../outbox/tasks';
import { audit } from '../../store/audit';
import type { Db } from '../../store/db';
import type { Services } from '../types';
import { againstAssessment, isNearMiss, type BreachRecord, type IcoDetails, type Risk } from './model';
import { handlerCard, progressCard } from './views';

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
