import { DAY } from '../clock';
import type { Services } from '../flows/types';

/** How many people one pass asks about, so a large school is spread over several passes. */
const PER_PASS = 50;

/**
 * Asks Teams again, about once a day per person, for everyone's email/UPN: a role named by an
 * address follows the address when IT gives it to someone else (a new headteacher takes over
 * head@…), even before either person clicks anything.
 */
export async function refreshEmails(svc: Services): Promise<void> {
  const now = svc.clock.now();
  const tenants = new Set(svc.config.file.schools.map((s) => s.tenantId));
  for (const tenantId of tenants) {
    for (const aadId of await svc.directory.lookupsDue(tenantId, now - DAY, PER_PASS)) {
      try {
        await svc.directory.refresh(tenantId, aadId, now, 5000);
      } catch (err) {
        svc.log.warn({ err: (err as Error).message }, 'member look-up failed; will retry');
      }
    }
  }
}
