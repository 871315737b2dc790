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
  readonly pool: pg.Pool;
  private readonly plain: Db;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
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
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client, this));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
