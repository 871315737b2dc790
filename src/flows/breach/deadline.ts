/** The clocks a breach runs: the 72 hours to the ICO decision, then the telling it decided on. */
import { loadBreach, toBreach, type BreachRow } from './store';
import { ESCALATE_TO, recipients, refreshCards, sendHandlerCard } from './access';
import { type SchoolConfig } from '../../config';
import { DAY, formatSchoolTime, HOUR, schoolDate } from '../../clock';
import { audit } from '../../store/audit';
import { once } from '../../store/counters';
import type { Services } from '../types';
import { isNearMiss } from './model';
import { reminderLine } from './views';

/**
 * The 72-hour clock: reminds the handlers at the configured hours until the ICO decision is
 * recorded, escalates to the headteacher and the DPO, and marks a report overdue at 72 hours.
 * Each step fires once (a mark in the same transaction), also across restarts and instances.
 */
export async function tick(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    await chaseNotifications(svc, school, now);
    const rows = await svc.db.all<BreachRow>(
      `SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE school_id = ? AND ico_decided_at IS NULL AND closed_at IS NULL`,
      [school.id],
    );
    for (const row of rows) {
      const b0 = toBreach(row);
      if (isNearMiss(b0.record)) continue; // no ICO decision is owed
      const steps: Array<[string, number]> = [
        ...school.breach.reminderHours.map((h) => [`remind-${h}`, h] as [string, number]),
        ['escalate', school.breach.escalateAfterHours],
        ['overdue', 72],
      ];
      for (const [step, hours] of steps) {
        if (now < b0.record.awareAt + hours * HOUR) continue;
        await once(svc.db, [`breach:${step}:${b0.id}`], now, async (tx) => {
          const b = (await loadBreach(tx, b0.id))!;
          if (b.record.ico || b.record.closed || isNearMiss(b.record)) return;
          if (step === 'escalate') {
            const rec = structuredClone(b.record);
            rec.escalated = true;
            const version = b.version + 1;
            await tx.run('UPDATE breaches SET record = ?, version = ? WHERE id = ? AND version = ?', [
              JSON.stringify(rec),
              version,
              b.id,
              b.version,
            ]);
            await tx.run(
              'INSERT INTO breach_versions (breach_id, version, at, actor_id, actor_name, change, record) VALUES (?, ?, ?, ?, ?, ?, ?)',
              [b.id, version, now, 'system', 'Reminder service', 'escalated', JSON.stringify(rec)],
            );
            const fresh = { ...b, version, record: rec };
            // Refresh the cards people have first, so the new cards keep their banner.
            await refreshCards(svc, tx, school, fresh);
            for (const h of await recipients(
              svc,
              tx,
              school,
              ESCALATE_TO.filter((x) => !rec.excludedRoles.includes(x)),
              fresh,
            )) {
              await sendHandlerCard(
                svc,
                tx,
                school,
                fresh,
                h,
                'escalated',
                `Escalated to you: no decision about telling the ICO after ${hours} hours.`,
              );
            }
          } else if (step === 'overdue') {
            await refreshCards(svc, tx, school, b);
          } else {
            for (const h of await recipients(svc, tx, school, b.record.handlerRoles, b)) {
              await sendHandlerCard(svc, tx, school, b, h, step, reminderLine(b, now));
            }
          }
          await audit(tx, {
            at: now,
            schoolId: school.id,
            actorId: 'system',
            action: `breach.${step.startsWith('remind') ? 'reminded' : step}`,
            subject: b.id,
            detail: { hours },
          });
        });
      }
    }
  }
}

/**
 * After "tell the ICO" or "tell the people affected", the telling itself is chased: the handlers
 * get a reminder each day until it is recorded (when, and the ICO's reference).
 */
async function chaseNotifications(svc: Services, school: SchoolConfig, now: number): Promise<void> {
  const rows = await svc.db.all<BreachRow>(
    `SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE school_id = ? AND ico_decided_at IS NOT NULL AND closed_at IS NULL`,
    [school.id],
  );
  const day = schoolDate(now, school.timezone);
  for (const row of rows) {
    const b0 = toBreach(row);
    const r = b0.record;
    const owed = [
      r.ico?.notify && !r.icoNotified ? 'ico' : '',
      r.affected?.tell && !r.peopleTold && now - r.affected.at >= DAY ? 'people' : '',
    ].filter(Boolean);
    if (!owed.length) continue;
    await once(svc.db, [`breach:chase:${b0.id}:${day}`], now, async (tx) => {
      const b = (await loadBreach(tx, b0.id))!;
      const lines: string[] = [];
      if (owed.includes('ico') && !b.record.icoNotified)
        lines.push(
          `The ICO has not been recorded as told yet; the 72 hours ${now > b.record.deadline ? 'ended' : 'end'} ${formatSchoolTime(b.record.deadline, school.timezone)}. Once it is done, record when, with the ICO's reference.`,
        );
      if (owed.includes('people') && !b.record.peopleTold)
        lines.push('The people affected have not been recorded as told yet. Once they are, record when and how.');
      if (!lines.length) return;
      for (const h of await recipients(svc, tx, school, b.record.handlerRoles, b))
        await sendHandlerCard(svc, tx, school, b, h, `chase-${day}`, `${b.ref}: ${lines.join(' ')}`);
      await audit(tx, {
        at: now,
        schoolId: school.id,
        actorId: 'system',
        action: 'breach.notification_chased',
        subject: b.id,
        detail: { owed },
      });
    });
  }
}
