import type { Clock } from '../clock';
import type { Db } from '../store/db';

/** How long a second delivery waits for the first to answer before saying it is still being done. */
const WAIT_MS = 4_000;
/** A claim this old with no answer was left by a process that stopped: the next delivery takes it over. */
const STALE_MS = 60_000;
/**
 * A stored answer is a card, and cards hold what people reported. Teams re-sends within seconds,
 * so an answer is kept a day, then dropped (the record that the click was handled stays).
 */
const KEEP_ANSWER_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export type Claim = { kind: 'own' } | { kind: 'replay'; response: unknown | null } | { kind: 'busy' };

/**
 * Exactly-once card clicks. Teams delivers an `Action.Execute` again when the bot is slow, and a
 * double tap sends two; each delivery carries the same activity id. The first delivery claims the
 * id (a row committed before any effect), does the work and stores the answer it gave; any other
 * delivery of that id waits for the answer and gets the same one, changing nothing.
 *
 * A process that stops between the effect and storing the answer leaves a claim without one; after
 * a minute the next delivery takes it over and runs again, so that window is the only place an
 * effect can repeat, and handlers whose updates are conditional (decisions, claims of a task) do not.
 */
export class InvokeLedger {
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async claim(key: string): Promise<Claim> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = this.clock.now();
      const won = await this.db.run(
        'INSERT INTO processed_activities (activity_key, at) VALUES (?, ?) ON CONFLICT DO NOTHING',
        [key, now],
      );
      if (won.changes) return { kind: 'own' };
      const row = await this.db.get<{ at: number; response: string | null; done_at: number | null }>(
        'SELECT at, response, done_at FROM processed_activities WHERE activity_key = ?',
        [key],
      );
      if (row?.done_at != null)
        return { kind: 'replay', response: row.response ? JSON.parse(row.response) : undefined };
      if (row && now - row.at > STALE_MS) {
        const took = await this.db.run(
          'UPDATE processed_activities SET at = ? WHERE activity_key = ? AND done_at IS NULL AND at = ?',
          [now, key, row.at],
        );
        if (took.changes) return { kind: 'own' };
      }
      if (Date.now() > deadline) return { kind: 'busy' };
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Stores the answer the first delivery gave; at most hourly, drops the answers kept a day. */
  async done(key: string, response: unknown): Promise<void> {
    const now = this.clock.now();
    await this.db.run('UPDATE processed_activities SET response = ?, done_at = ? WHERE activity_key = ?', [
      JSON.stringify(response ?? null),
      now,
      key,
    ]);
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.db.run('UPDATE processed_activities SET response = NULL WHERE done_at < ? AND response IS NOT NULL', [
      now - KEEP_ANSWER_MS,
    ]);
  }

  /** Gives the claim up when the work failed before any answer, so a re-send can try again. */
  async release(key: string): Promise<void> {
    await this.db.run('DELETE FROM processed_activities WHERE activity_key = ? AND done_at IS NULL', [key]);
  }
}
