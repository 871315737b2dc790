import path from 'node:path';
import type { Db } from './db';
import { sealEarlierEntries } from './audit';
import { allFlows } from '../flows/registry';
import { APPROVALS_SCHEMA } from '../approvals/schema';
import { ABSENCE_SCHEMA, DIRECTORY_SCHEMA, STAFF_SCHEMA } from '../identity/schema';
import { OUTBOX_SCHEMA } from '../outbox/schema';
import { TEAMS_SCHEMA } from '../teams/schema';
import { migrate, type ModuleSchema } from './schema';
import { AUDIT_SCHEMA, COUNTERS_SCHEMA, EXPORTS_SCHEMA } from './schemas';
import { PostgresDb } from './postgres';
import { SqliteDb } from './sqlite';

/** Every module's tables: the shared modules first, then each flow's in registry order. */
export function allSchemas(): ModuleSchema[] {
  return [
    DIRECTORY_SCHEMA,
    STAFF_SCHEMA,
    ABSENCE_SCHEMA,
    OUTBOX_SCHEMA,
    AUDIT_SCHEMA,
    COUNTERS_SCHEMA,
    TEAMS_SCHEMA,
    APPROVALS_SCHEMA,
    EXPORTS_SCHEMA,
    ...allFlows().flatMap((f) => (f.schema ? [f.schema] : [])),
  ];
}

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
        allSchemas(),
        async (script) => {
          await client.query('BEGIN');
          try {
            await client.query(script);
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
    allSchemas(),
    async (script) => db.exec(`BEGIN IMMEDIATE; ${script}; COMMIT;`),
    async (sql) => db.exec(sql),
  );
  await sealEarlierEntries(db);
  return db;
}
