import pg from 'pg';
import type { Db, Param } from './db';

// BIGINT columns hold epoch milliseconds, well inside the safe integer range.
pg.types.setTypeParser(20, (v) => Number(v));

function toPg(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = pg.Pool | pg.PoolClient;

function wrap(q: Queryable, pool: PostgresDb): Db {
  return {
    dialect: 'postgres',
    inTransaction: q !== pool.pool,
    all: async <T>(sql: string, params: Param[] = []) => (await q.query(toPg(sql), params)).rows as T[],
    get: async <T>(sql: string, params: Param[] = []) => (await q.query(toPg(sql), params)).rows[0] as T | undefined,
    run: async (sql: string, params: Param[] = []) => ({ changes: (await q.query(toPg(sql), params)).rowCount ?? 0 }),
    transaction: (fn) =>
      q === pool.pool ? pool.transaction(fn) : Promise.reject(new Error('nested transactions are not supported')),
    ping: () => pool.ping(),
    close: () => pool.close(),
  };
}

/** PostgreSQL through a pool, for deployments with several instances. */
export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly knownMarks = new Set<string>();
  readonly pool: pg.Pool;
  private readonly plain: Db;

  constructor(url: string) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // A database that does not answer fails the turn in seconds (Teams re-sends after ~15 s).
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
      statement_timeout: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // A connection the server closed while it sat idle (a restart, a failover, an idle-session
    // limit) is dropped by the pool and the next query opens a new one. Unhandled, this event
    // would end the process.
    this.pool.on('error', () => undefined);
    this.plain = wrap(this.pool, this);
  }

  all<T>(sql: string, params?: Param[]) {
    return this.plain.all<T>(sql, params);
  }
  get<T>(sql: string, params?: Param[]) {
    return this.plain.get<T>(sql, params);
  }
  run(sql: string, params?: Param[]) {
    return this.plain.run(sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // While the client is out of the pool its errors are ours: a session the server ends between two
    // queries of the transaction (a failover, an administrator) would otherwise end the process.
    const lost = (err: Error) => (broken = err);
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client, this));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      // A connection that could not even roll back is broken: the pool closes it instead of reusing it.
      if (!rolledBack) broken = err as Error;
      throw err;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /** Whether the database answers within a second (for /readyz, which must answer quickly). */
  async ping(): Promise<boolean> {
    const late = new Promise<boolean>((r) => setTimeout(() => r(false), 1_000).unref());
    return Promise.race([
      this.pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      late,
    ]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
