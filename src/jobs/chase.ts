import { addWorkingDays } from '../clock';
import type { Services } from '../flows/types';
import { once } from '../store/counters';

/**
 * Chases approvers: a pending step reminds its approvers after the school's number of working
 * days, then escalates to the next role in line after a further number. Each fires once.
 */
export async function chaseApprovers(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    const { remindAfterWorkingDays, escalateAfterWorkingDays } = school.approvals;
    const rows = await svc.db.all<{ request_id: string; idx: number; started_at: number }>(
      `SELECT s.request_id, s.idx, s.started_at FROM request_stages s JOIN requests r ON r.id = s.request_id
       WHERE r.school_id = ? AND s.status = 'pending' AND r.status IN ('pending', 'info_requested') AND s.started_at IS NOT NULL`,
      [school.id],
    );
    for (const r of rows) {
      const remindAt = addWorkingDays(r.started_at, remindAfterWorkingDays, school.timezone, school.holidays);
      const escalateAt = addWorkingDays(remindAt, escalateAfterWorkingDays, school.timezone, school.holidays);
      for (const [kind, at] of [
        ['remind', remindAt],
        ['escalate', escalateAt],
      ] as const) {
        if (now < at) continue;
        await once(svc.db, [`chase:${kind}:${r.request_id}:${r.idx}`], now, (tx) =>
          svc.approvals.chase(tx, school, r.request_id, r.idx, kind),
        );
      }
    }
  }
}
