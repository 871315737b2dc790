import path from 'node:path';
import type { Db } from './db';
import { sealEarlierEntries } from './audit';
import { migrate } from './migrations';
import { PostgresDb } from './postgres';
import { SqliteDb } from './sqlite';

const RECORD = 'INSERT INTO schema_migrations (version, applied_at) VALUES';

/** Opens the configured database and brings its schema up to date. */
export async function openDb(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  if (opts.databaseUrl) {
    const db = new PostgresDb(opts.databaseUrl);
    // Several instances may start together: one applies the migrations, the others wait for it.
    const client = await db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(727274)');
      await migrate(
        db,
        async (v, sql) => {
          await client.query('BEGIN');
          try {
            await client.query(sql);
            await client.query(`${RECORD} ($1, $2)`, [v, Date.now()]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        },
        async (sql) => {
          await client.query(sql);
        },
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
      client.release();
    }
    await sealEarlierEntries(db);
    return db;
  }
  const db = new SqliteDb(path.join(opts.dataDir, 'bot.sqlite'));
  await migrate(
    db,
    async (v, sql) => db.exec(`BEGIN IMMEDIATE; ${sql}; ${RECORD} (${v}, ${Date.now()}); COMMIT;`),
    async (sql) => db.exec(sql),
  );
  await sealEarlierEntries(db);
  return db;
}
