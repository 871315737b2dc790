import type { Clock } from '../clock';
import type { OutMessage } from '../core';
import type { ConversationRef, Directory } from '../identity/directory';
import type { Logger } from '../log';
import type { Db } from '../store/db';

/** A failed delivery, as the connector reports it. */
export class DeliveryError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`delivery failed with HTTP ${status}`);
  }
}

/** The one thing the dispatcher needs from Teams. */
export interface Connector {
  send(ref: ConversationRef, message: OutMessage): Promise<{ activityId: string }>;
  update(ref: ConversationRef, activityId: string, message: OutMessage): Promise<void>;
  /** The members of a team (its roster), for the acknowledgement list. */
  teamMembers?(serviceUrl: string, teamId: string): Promise<Array<{ aadObjectId: string; name: string }>>;
}

interface Row {
  id: number;
  tenant_id: string;
  recipient: string;
  kind: 'send' | 'update';
  card_key: string | null;
  payload: string;
  attempts: number;
}

export interface DispatcherOptions {
  perConversationPerSecond: number;
  perTenantPerSecond: number;
  concurrency: number;
  maxAttempts: number;
}

const DEFAULTS: DispatcherOptions = {
  perConversationPerSecond: 7,
  perTenantPerSecond: 50,
  concurrency: 16,
  maxAttempts: 6,
};
const CLAIM_MS = 60_000;

/** Spaces sends to stay under a rate: each key gets its next free slot (real time, not the injected clock). */
class Pacer {
  private readonly next = new Map<string, number>();
  constructor(private readonly perSecond: number) {}
  /** Reserves the next slot and returns how long to wait for it. */
  reserve(key: string): number {
    const now = performance.now();
    const slot = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, slot + 1000 / this.perSecond);
    if (this.next.size > 50_000) this.prune(now);
    return slot - now;
  }
  pause(key: string, ms: number): void {
    this.next.set(key, Math.max(this.next.get(key) ?? 0, performance.now() + ms));
  }
  private prune(now: number): void {
    for (const [k, t] of this.next) if (t < now) this.next.delete(k);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Delivers the outbox: at most 7 messages a second per conversation and a configurable rate per
 * tenant, honouring Retry-After on 429, backing off on 5xx, and marking people who cannot be
 * reached (403/404) instead of retrying for ever. Safe with several instances: rows are claimed.
 */
export class Dispatcher {
  private readonly opts: DispatcherOptions;
  private readonly perConversation: Pacer;
  private readonly perTenant: Pacer;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly connector: Connector,
    private readonly directory: Directory,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    // Aim a little under each limit: requests leave a moment late or early, and Teams counts them as they arrive.
    this.perConversation = new Pacer(this.opts.perConversationPerSecond * 0.95);
    this.perTenant = new Pacer(this.opts.perTenantPerSecond * 0.95);
  }

  start(pollMs = 1000): void {
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a delivery round soon; cheap to call after every commit. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.log.error({ err: (err as Error).message }, 'outbox round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Delivers everything due now (used at shutdown and by tests). */
  async flush(): Promise<void> {
    if (this.running) await this.running;
    await this.drain();
  }

  /** Stops taking new rounds and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const rows = await this.db.all<Row>(
        `SELECT id, tenant_id, recipient, kind, card_key, payload, attempts FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
         ORDER BY id LIMIT 200`,
        [now, now],
      );
      if (!rows.length) return;
      const mine: Row[] = [];
      for (const r of rows) {
        const c = await this.db.run(
          `UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`,
          [now + CLAIM_MS, r.id, now],
        );
        if (c.changes) mine.push(r);
      }
      let i = 0;
      const worker = async () => {
        while (i < mine.length) await this.deliver(mine[i++]!);
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, mine.length) }, worker));
    }
  }

  private async deliver(row: Row): Promise<void> {
    const now = () => this.clock.now();
    const ref = await this.directory.reference(row.tenant_id, row.recipient);
    if (!ref) {
      // They have never opened the bot: keep the message until they do.
      await this.db.run(`UPDATE outbox SET status = 'waiting', claimed_until = NULL WHERE id = ?`, [row.id]);
      // They may have opened it while this round looked (their first turn sets their waiting messages
      // going, but this one was not waiting yet): look again, so it is not left behind.
      if (await this.directory.reference(row.tenant_id, row.recipient))
        await this.db.run(`UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'waiting'`, [row.id]);
      return;
    }
    const message = JSON.parse(row.payload) as OutMessage;
    let target: string | undefined;
    if (row.kind === 'update') {
      const sent = await this.db.get<{ activity_id: string | null; status: string }>(
        `SELECT activity_id, status FROM outbox WHERE card_key = ? AND kind = 'send'`,
        [row.card_key],
      );
      if (!sent?.activity_id) {
        await this.db.run(`UPDATE outbox SET status = 'skipped', claimed_until = NULL WHERE id = ?`, [row.id]);
        return;
      }
      target = sent.activity_id;
    }
    const wait = Math.max(this.perTenant.reserve(row.tenant_id), this.perConversation.reserve(ref.conversationId));
    if (wait > 0) await sleep(wait);
    try {
      if (row.kind === 'update') {
        await this.connector.update(ref, target!, message);
        await this.db.run(
          `UPDATE outbox SET status = 'sent', sent_at = ?, conversation_id = ?, activity_id = ?, claimed_until = NULL WHERE id = ?`,
          [now(), ref.conversationId, target!, row.id],
        );
      } else {
        const { activityId } = await this.connector.send(ref, message);
        await this.db.run(
          `UPDATE outbox SET status = 'sent', sent_at = ?, conversation_id = ?, activity_id = ?, attempts = attempts + 1, claimed_until = NULL WHERE id = ?`,
          [now(), ref.conversationId, activityId, row.id],
        );
      }
    } catch (err) {
      const status = err instanceof DeliveryError ? err.status : 0;
      if (status === 429) {
        const ms = err instanceof DeliveryError && err.retryAfterMs !== undefined ? err.retryAfterMs : 1000;
        this.perTenant.pause(row.tenant_id, ms);
        this.perConversation.pause(ref.conversationId, ms);
        await this.db.run(
          `UPDATE outbox SET next_attempt_at = ?, claimed_until = NULL, last_error = '429' WHERE id = ?`,
          [now() + ms, row.id],
        );
        // Throttling is not the message's fault: try again in this round once the pause is over.
        await sleep(ms);
        this.again = true;
        return;
      }
      if (status === 403 || status === 404) {
        await this.directory.markUnreachable(row.tenant_id, row.recipient, now());
        await this.db.run(
          `UPDATE outbox SET status = 'unreachable', claimed_until = NULL, last_error = ? WHERE id = ?`,
          [String(status), row.id],
        );
        this.log.warn({ outboxId: row.id, status }, 'recipient unreachable');
        return;
      }
      const attempts = row.attempts + 1;
      const failed = attempts >= this.opts.maxAttempts || (status >= 400 && status < 500);
      const backoff = Math.min(60_000 * 30, 2000 * 2 ** attempts);
      await this.db.run(
        `UPDATE outbox SET attempts = ?, status = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?`,
        [attempts, failed ? 'failed' : 'pending', now() + backoff, status ? String(status) : 'network', row.id],
      );
      this.log.warn({ outboxId: row.id, status, attempts, failed }, 'delivery failed');
    }
  }
}
