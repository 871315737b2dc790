import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { OutMessage } from '../core';
import type { ConversationRef, Directory } from '../identity/directory';
import type { Logger } from '../log';
import type { Db } from '../store/db';

/**
 * A failed delivery, as the connector reports it. `status` 0 means no HTTP answer; `reached` says
 * whether the request may have got to the connector (a reset or a timeout after connecting), as
 * opposed to a connection that was never made.
 */
export class DeliveryError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
    readonly reached = status !== 0,
  ) {
    super(
      status ? `delivery failed with HTTP ${status}` : `delivery failed: ${reached ? 'no answer' : 'no connection'}`,
    );
  }

  /** The connector may have delivered the message although the call failed (a 5xx, a reset, a timeout). */
  get ambiguous(): boolean {
    return this.status >= 500 || (this.status === 0 && this.reached);
  }
}

/** The one thing the dispatcher needs from Teams. */
export interface Connector {
  send(ref: ConversationRef, message: OutMessage, opts?: { timeoutMs?: number }): Promise<{ activityId: string }>;
  update(ref: ConversationRef, activityId: string, message: OutMessage): Promise<void>;
  /** A person's email and UPN as Teams knows them now; null when they are no longer a member. */
  member?(ref: ConversationRef, timeoutMs?: number): Promise<{ email?: string; upn?: string } | null>;
  /** The members of a team (its roster), for the acknowledgement list. */
  teamMembers?(serviceUrl: string, teamId: string): Promise<Array<{ aadObjectId: string; name: string }>>;
}

interface Row {
  id: number;
  tenant_id: string;
  recipient: string;
  kind: 'send' | 'update';
  card_key: string | null;
  attempts: number;
  uncertain: number;
  created_at: number;
}

export interface DispatcherOptions {
  perConversationPerSecond: number;
  perTenantPerSecond: number;
  concurrency: number;
  /** How long a claim on a message lasts unless renewed; a round renews its claims while it works. */
  claimMs: number;
  /** How long a message that could not be delivered (connector unreachable, 401, 412) is tried again. */
  giveUpAfterMs: number;
}

const DEFAULTS: DispatcherOptions = {
  perConversationPerSecond: 7,
  perTenantPerSecond: 50,
  concurrency: 16,
  claimMs: 60_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
};
/** The longest wait between two tries of a message that was not delivered. */
const MAX_BACKOFF_MS = 5 * 60_000;

/** What the outbox still owes people, for /readyz and the log. */
export interface Owed {
  /** Messages and card updates not delivered yet that have failed at least once. */
  retrying: number;
  /** Given up on (or possibly delivered, see `DeliveryError.ambiguous`), in the last week. */
  failed: number;
  oldestSince?: number;
}

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
  /** Names this process's claims, so a round renews only its own. */
  private readonly instance = randomUUID();

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

  /** What is still owed: messages being retried, and those given up on in the last week. */
  async owed(): Promise<Owed> {
    const now = this.clock.now();
    const r = await this.db.get<{ n: number; oldest: number | null }>(
      `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending') AND attempts > 0`,
    );
    const f = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed' AND created_at > ?`,
      [now - 7 * 24 * 3600_000],
    );
    return { retrying: Number(r?.n ?? 0), failed: Number(f?.n ?? 0), oldestSince: r?.oldest ?? undefined };
  }

  private async drain(): Promise<void> {
    await this.recoverInFlight();
    for (;;) {
      const now = this.clock.now();
      const rows = await this.db.all<Row>(
        `SELECT id, tenant_id, recipient, kind, card_key, attempts, uncertain, created_at FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
         ORDER BY id LIMIT 200`,
        [now, now],
      );
      if (!rows.length) return;
      const mine: Row[] = [];
      for (const r of rows) {
        const c = await this.db.run(
          `UPDATE outbox SET claimed_until = ?, claimed_by = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`,
          [now + this.opts.claimMs, this.instance, r.id, now],
        );
        if (c.changes) mine.push(r);
      }
      // A paced round can outlast a claim: it is renewed while the round holds it, so another
      // instance never takes a message this one may still send.
      const renew = setInterval(() => {
        this.db
          .run(
            `UPDATE outbox SET claimed_until = ? WHERE claimed_by = ? AND status IN ('pending', 'sending') AND claimed_until IS NOT NULL`,
            [this.clock.now() + this.opts.claimMs, this.instance],
          )
          .catch((err) => this.log.warn({ err: (err as Error).message }, 'outbox claim renewal failed'));
      }, this.opts.claimMs / 3);
      let i = 0;
      const worker = async () => {
        while (i < mine.length) await this.deliver(mine[i++]!);
      };
      try {
        await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, mine.length) }, worker));
      } finally {
        clearInterval(renew);
      }
    }
  }

  /**
   * A message left "sending" by an instance that stopped (a crash, kill -9) may or may not have
   * been delivered: it is sent once more, and only once, so a person sees it at most twice.
   */
  private async recoverInFlight(): Promise<void> {
    const now = this.clock.now();
    const stale = await this.db.all<{ id: number; uncertain: number; kind: string }>(
      `SELECT id, uncertain, kind FROM outbox WHERE status = 'sending' AND claimed_until < ?`,
      [now],
    );
    if (!stale.length) return;
    let again = 0;
    for (const r of stale) {
      const give = r.kind === 'send' && r.uncertain >= 1;
      const c = await this.db.run(
        `UPDATE outbox SET status = ?, uncertain = uncertain + 1, claimed_until = NULL, claimed_by = NULL, last_error = 'interrupted'
         WHERE id = ? AND status = 'sending' AND claimed_until < ?`,
        [give ? 'failed' : 'pending', r.id, now],
      );
      if (c.changes && !give) again++;
    }
    this.log.warn(
      { interrupted: stale.length, sendingAgain: again },
      'messages were being sent when an instance stopped; they are sent again once, so a person may see one twice',
    );
  }

  /** Puts a message back to wait, for `ms`, releasing the claim. */
  private async later(row: Row, ms: number, error: string, attempts: number, uncertain = row.uncertain): Promise<void> {
    await this.db.run(
      `UPDATE outbox SET status = 'pending', attempts = ?, uncertain = ?, next_attempt_at = ?, claimed_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?`,
      [attempts, uncertain, this.clock.now() + ms, error, row.id],
    );
  }

  private async fail(row: Row, error: string, attempts: number): Promise<void> {
    await this.db.run(
      `UPDATE outbox SET status = 'failed', attempts = ?, claimed_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?`,
      [attempts, error, row.id],
    );
    this.log.error({ outboxId: row.id, kind: row.kind, error, attempts }, 'a message could not be delivered');
  }

  private async deliver(row: Row): Promise<void> {
    const now = () => this.clock.now();
    const ref = await this.directory.reference(row.tenant_id, row.recipient);
    if (!ref) {
      // They have never opened the bot: keep the message until they do.
      await this.db.run(`UPDATE outbox SET status = 'waiting', claimed_until = NULL, claimed_by = NULL WHERE id = ?`, [
        row.id,
      ]);
      // They may have opened it while this round looked (their first turn sets their waiting messages
      // going, but this one was not waiting yet): look again, so it is not left behind.
      if (await this.directory.reference(row.tenant_id, row.recipient))
        await this.db.run(`UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'waiting'`, [row.id]);
      return;
    }
    let target: string | undefined;
    if (row.kind === 'update') {
      const card = await this.db.get<{ activity_id: string | null; status: string }>(
        `SELECT activity_id, status FROM outbox WHERE card_key = ? AND kind = 'send'`,
        [row.card_key],
      );
      if (!card?.activity_id) {
        // The card itself is still on its way: the update waits for it, then is applied.
        if (card && ['pending', 'sending', 'waiting'].includes(card.status))
          await this.later(row, 1000, 'card not sent yet', row.attempts);
        else
          await this.db.run(
            `UPDATE outbox SET status = 'skipped', claimed_until = NULL, claimed_by = NULL WHERE id = ?`,
            [row.id],
          );
        return;
      }
      target = card.activity_id;
    }
    const wait = Math.max(this.perTenant.reserve(row.tenant_id), this.perConversation.reserve(ref.conversationId));
    if (wait > 0) await sleep(wait);
    // In flight from here: another instance will not take it, and the newest payload is the one sent
    // (an update that arrives from now on waits for this send instead of merging into it).
    const marked = await this.db.run(
      `UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending' AND claimed_by = ?`,
      [row.id, this.instance],
    );
    if (!marked.changes) return;
    const payload = await this.db.get<{ payload: string }>(`SELECT payload FROM outbox WHERE id = ?`, [row.id]);
    const message = JSON.parse(payload!.payload) as OutMessage;
    const attempts = row.attempts + 1;
    try {
      const activityId =
        row.kind === 'update'
          ? (await this.connector.update(ref, target!, message), target!)
          : (await this.connector.send(ref, message)).activityId;
      await this.db.run(
        `UPDATE outbox SET status = 'sent', sent_at = ?, conversation_id = ?, activity_id = ?, attempts = ?, claimed_until = NULL, claimed_by = NULL WHERE id = ?`,
        [now(), ref.conversationId, activityId, attempts, row.id],
      );
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(0, undefined, true);
      const status = e.status;
      if (status === 429) {
        const ms = e.retryAfterMs ?? 1000;
        this.perTenant.pause(row.tenant_id, ms);
        this.perConversation.pause(ref.conversationId, ms);
        await this.later(row, ms, '429', row.attempts);
        // Throttling is not the message's fault: try again in this round once the pause is over.
        await sleep(ms);
        this.again = true;
        return;
      }
      if (status === 403 || status === 404) {
        await this.directory.markUnreachable(row.tenant_id, row.recipient, now());
        await this.db.run(
          `UPDATE outbox SET status = 'unreachable', claimed_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?`,
          [String(status), row.id],
        );
        this.log.warn({ outboxId: row.id, status }, 'recipient unreachable');
        return;
      }
      const error = status ? String(status) : e.reached ? 'no answer' : 'no connection';
      const backoff = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** Math.min(attempts, 20));
      if (e.ambiguous && row.kind === 'send') {
        // It may have arrived: one more try at most, so a person sees it at most twice.
        if (row.uncertain >= 1) await this.fail(row, `${error}; may have been delivered`, attempts);
        else await this.later(row, backoff, error, attempts, row.uncertain + 1);
      } else if (e.ambiguous || status === 0 || status === 401 || status === 408 || status === 412) {
        // Not delivered (or an update, which is safe to repeat): tried again for as long as configured.
        if (now() - row.created_at > this.opts.giveUpAfterMs) await this.fail(row, error, attempts);
        else await this.later(row, backoff, error, attempts);
      } else {
        await this.fail(row, error, attempts);
        return;
      }
      this.log.warn({ outboxId: row.id, status, attempts }, 'delivery failed');
    }
  }
}
