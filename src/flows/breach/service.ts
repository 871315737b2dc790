import { toBreach, type Breach, type BreachRow } from './store';
import { ESCALATE_TO, handlerRolesFor, recipients, sendHandlerCard } from './access';
import { randomUUID } from 'node:crypto';
import { ROLE_TITLES, type RoleKey, type SchoolConfig } from '../../config';
import { formatSchoolTime, fromSchoolTime, HOUR, schoolDate, zonedParts } from '../../clock';
import type { Actor } from '../../core';
import { badInput } from '../../errors';
import { describeProblems } from '../../approvals/conditions';
import { enqueueSend } from '../../outbox/outbox';
import { audit } from '../../store/audit';
import { nextRef } from '../../store/counters';
import type { Services } from '../types';
import { BreachReport, REPORT_LABELS, type BreachRecord } from './model';
import { lastConfirmed } from '../acknowledgement';
import { BREACH_FALLBACK_ROLES } from '../../config';
import { receiptCard } from './views';

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
