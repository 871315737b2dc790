// Reading breach records: one opened (audited), its copy for the ICO's form, the log, and what waits for a handler.
import { loadBreach, toBreach, type Breach, type BreachRow } from './store';
import { logRoles, mayHandle } from './access';
import { formatSchoolTime } from '../../clock';
import type { Actor } from '../../core';
import { forbidden, notFound } from '../../errors';
import { audit } from '../../store/audit';
import type { Services, WaitingItem } from '../types';
import { CATEGORIES, isNearMiss } from './model';
import { handlerCard, icoCopyCard, receiptCard } from './views';

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
