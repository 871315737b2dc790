import type { Flow, Services } from '../flows/types';
import { checkAuditDaily } from './audit-check';
import { chaseApprovers } from './chase';
import { refreshEmails } from './emails';

/**
 * Runs scheduled work on a timer. Each job works out what is due from the database and the
 * injected clock, and marks what it did in the same transaction, so a restart or a second
 * instance never does it twice.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly svc: Services,
    private readonly flows: Flow[],
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  /** One pass over every job; tests call it after moving the clock. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      const jobs: Array<[string, () => Promise<void>]> = [
        ['approvals.chase', () => chaseApprovers(this.svc)],
        ['audit.check', () => checkAuditDaily(this.svc)],
        ['directory.emails', () => refreshEmails(this.svc)],
        ...this.flows
          .filter((f) => f.tick)
          .map((f) => [`${f.id}.tick`, () => f.tick!(this.svc)] as [string, () => Promise<void>]),
      ];
      for (const [name, job] of jobs) {
        try {
          await job();
        } catch (err) {
          // One job's failure must not stop the others.
          this.svc.log.error({ job: name, err: (err as Error).message }, 'job failed');
        }
      }
      this.svc.deliver();
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.running) await this.running;
  }
}
