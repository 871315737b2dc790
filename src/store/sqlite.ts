import type BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db, Param } from './db';

/**
 * better-sqlite3 13 is built on Node-API and is the one to run on Node 22 and 24 (the 12 line
 * aborts on Node 24 when a statement is collected). It does not load on Node 20 (end of life in
 * April 2026), where the 12 line, installed beside it under another name, still serves.
 */
const Database: typeof BetterSqlite3 =
  Number(process.versions.node.split('.')[0]) >= 22
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('better-sqlite3')
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('better-sqlite3-node20');

/**
 * SQLite through better-sqlite3. Statements are synchronous, so a transaction that awaits between
 * statements must not let another caller's statement run inside it: every call waits its turn in
 * one queue while a transaction is open.
 */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  readonly knownMarks = new Set<string>();
  private readonly db: BetterSqlite3.Database;
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private inTx = false;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // better-sqlite3 waits for a lock synchronously, holding every turn: wait briefly, then fail the
    // turn with an honest message ("not saved, try again") rather than freeze the bot.
    this.db.pragma('busy_timeout = 1000');
    this.db.pragma('foreign_keys = ON');
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  private direct: Db = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: Param[] = []) => this.stmt(sql).all(...params) as T[],
    get: async <T>(sql: string, params: Param[] = []) => this.stmt(sql).get(...params) as T | undefined,
    run: async (sql: string, params: Param[] = []) => {
      const s = this.stmt(sql);
      if (!s.reader) return { changes: s.run(...params).changes };
      return { changes: s.all(...params).length };
    },
    transaction: () => {
      throw new Error('nested transactions are not supported');
    },
    ping: async () => true,
    close: async () => undefined,
  };

  /** What a transaction's work receives: the same statements, known to be inside a transaction. */
  private readonly inside: Db = { ...this.direct, inTransaction: true };

  private whenFree<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.inTx) return fn();
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  all<T>(sql: string, params?: Param[]): Promise<T[]> {
    return this.whenFree(() => this.direct.all<T>(sql, params));
  }
  get<T>(sql: string, params?: Param[]): Promise<T | undefined> {
    return this.whenFree(() => this.direct.get<T>(sql, params));
  }
  run(sql: string, params?: Param[]): Promise<{ changes: number }> {
    return this.whenFree(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const body = async () => {
      this.inTx = true;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.inside);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.inTx = false;
      }
    };
    const next = this.queue.then(body, body);
    this.queue = next.catch(() => undefined);
    // While this transaction waits in the queue, plain statements must queue behind it too.
    this.inTx = true;
    return next;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.get<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.db.open) this.db.close();
  }

  /** Runs a multi-statement script (migrations only). */
  exec(sql: string): void {
    this.db.exec(sql);
  }
}
