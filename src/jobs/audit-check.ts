import { schoolDate } from '../clock';
import type { Services } from '../flows/types';
import { enqueueSend } from '../outbox/outbox';
import { verifyAudit } from '../store/audit';
import { once } from '../store/counters';

/**
 * Once a day per school, walks the audit chain. Its fingerprint (last entry number and hash) goes
 * to the log, which lives outside the database; a break goes to the DPO (the headteacher when the
 * school has no DPO) with where it is, so an edit made with database access does not go unseen.
 */
export async function checkAuditDaily(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    const day = schoolDate(now, school.timezone);
    await once(svc.db, [`audit-check:${school.id}:${day}`], now, async (tx) => {
      const check = await verifyAudit(tx, school.id);
      svc.log.info(
        {
          school: school.id,
          entries: check.entries,
          seq: check.head.seq,
          hash: check.head.hash,
          problems: check.problems.length,
        },
        'audit trail checked',
      );
      if (!check.problems.length) return;
      let to = await svc.directory.holders(school, ['dpo'], tx);
      if (!to.length) to = await svc.directory.holders(school, ['headteacher'], tx);
      const shown = check.problems.slice(0, 8).map((p) => `- ${p}`);
      if (check.problems.length > shown.length) shown.push(`- and ${check.problems.length - shown.length} more`);
      const text = [
        `**The audit trail of ${school.name} has been altered.** Today's check found:`,
        ...shown,
        'Nobody using the bot can do this: it takes direct access to the database. Ask IT who had that access, and keep the database as it is for now. `npm run check-audit` repeats the check.',
      ].join('\n');
      for (const r of to)
        await enqueueSend(
          tx,
          {
            schoolId: school.id,
            tenantId: school.tenantId,
            recipient: r,
            message: { text },
            cardKey: `audit-alert:${school.id}:${day}:${r.key}`,
          },
          now,
        );
    });
  }
}
