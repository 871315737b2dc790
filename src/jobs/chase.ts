import { addWorkingDays } from '../clock';
import type { Services } from '../flows/types';
import { waitingSteps } from '../approvals/repo';
import { once } from '../store/counters';

/**
 * Chases approvers: a pending step reminds its approvers after the school's number of working
 * days, then escalates to the next role in line after a further number. Each fires once.
 */
export async function chaseApprovers(svc: Services): Promise<void> {
  const now = svc.clock.now();
  for (const school of svc.config.file.schools) {
    const { remindAfterWorkingDays, escalateAfterWorkingDays } = school.approvals;
    const rows = await waitingSteps(svc.db, school.id);
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
