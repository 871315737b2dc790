import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { once } from '../src/store/counters';
import type { Db } from '../src/store/db';
import { allSchemas, openDb } from '../src/store/open';
import { PostgresDb } from '../src/store/postgres';
import { migrate } from '../src/store/schema';
import { SqliteDb } from '../src/store/sqlite';
import { migrate as legacyMigrate } from './fixtures/legacy-migrations';
import { freshPostgresSchema } from './helpers/harness';

describe('once', () => {
  it('runs the work once per set of marks, and asks the database no more once it knows they are set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'once-'));
    const db = await openDb({ dataDir: dir });
    let transactions = 0;
    const tx = db.transaction.bind(db);
    db.transaction = ((fn: never) => {
      transactions++;
      return tx(fn);
    }) as typeof db.transaction;
    let runs = 0;
    const work = async () => void runs++;
    expect(await once(db, ['a', 'b'], 1, work)).toBe(true);
    expect(await once(db, ['a', 'b'], 2, work)).toBe(false);
    expect(await once(db, ['b', 'c'], 3, work)).toBe(true); // "c" is new: one more run
    expect(runs).toBe(2);
    expect(transactions).toBe(2);
    await db.close();
    // After a restart (a new connection, nothing cached) the database still says the marks are set.
    const again = await openDb({ dataDir: dir });
    expect(await once(again, ['a', 'b'], 4, work)).toBe(false);
    expect(runs).toBe(2);
    await again.close();
  });

  it('leaves nothing marked when the work fails, so it is tried again', async () => {
    const db = await openDb({ dataDir: mkdtempSync(path.join(tmpdir(), 'once-')) });
    await expect(once(db, ['k'], 1, async () => Promise.reject(new Error('connector down')))).rejects.toThrow(
      'connector down',
    );
    let ran = false;
    expect(await once(db, ['k'], 2, async () => void (ran = true))).toBe(true);
    expect(ran).toBe(true);
    await db.close();
  });
});

describe('module schemas', () => {
  /** Tables and their columns, as the database describes them. */
  async function shape(db: Db): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    if (db.dialect === 'sqlite') {
      for (const t of await db.all<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('schema_migrations', 'module_migrations') ORDER BY name",
      ))
        out[t.name] = (await db.all<{ name: string }>(`PRAGMA table_info(${t.name})`)).map((c) => c.name).sort();
    } else {
      for (const c of await db.all<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT IN ('schema_migrations', 'module_migrations') ORDER BY table_name, column_name",
      ))
        (out[c.table_name] ??= []).push(c.column_name);
    }
    return out;
  }

  const engines: Array<
    [string, () => Promise<{ open: () => Promise<Db>; legacy: () => Promise<Db>; done: () => Promise<void> }>]
  > = [
    [
      'SQLite',
      async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'schema-'));
        return {
          open: () => openDb({ dataDir: dir }),
          legacy: async () => {
            const db = new SqliteDb(path.join(dir, 'bot.sqlite'));
            await legacyMigrate(
              db,
              async (v, sql) =>
                db.exec(`BEGIN IMMEDIATE; ${sql}; INSERT INTO schema_migrations VALUES (${v}, 1); COMMIT;`),
              async (sql) => db.exec(sql),
            );
            return db;
          },
          done: async () => undefined,
        };
      },
    ],
  ];
  if (process.env.DATABASE_URL)
    engines.push([
      'PostgreSQL',
      async () => {
        const s = await freshPostgresSchema(process.env.DATABASE_URL!);
        return {
          open: () => openDb({ databaseUrl: s.url, dataDir: '' }),
          legacy: async () => {
            const db = new PostgresDb(s.url);
            await legacyMigrate(
              db,
              async (v, sql) => {
                await db.pool.query(`BEGIN; ${sql}; INSERT INTO schema_migrations VALUES (${v}, 1); COMMIT;`);
              },
              async (sql) => {
                await db.pool.query(sql);
              },
            );
            return db;
          },
          done: s.drop,
        };
      },
    ]);

  it.each(engines)(
    'take over a %s database made by the one shared list of migrations, keeping its data',
    async (_name, make) => {
      const fresh = await make();
      const reference = await shape(await fresh.open().then(async (db) => (await db.close(), fresh.open())));
      await fresh.done();
      expect(Object.keys(reference)).toEqual(
        expect.arrayContaining(['users', 'outbox', 'audit_heads', 'breaches', 'staff']),
      );

      const e = await make();
      const old = await e.legacy();
      await old.run("INSERT INTO users (tenant_id, aad_id, name, updated_at) VALUES ('t', 'a', 'Tara Teacher', 1)");
      await old.run(
        "INSERT INTO requests (id, school_id, type, ref, requester_id, requester_name, form_key, status, stage_index, data, created_at, updated_at) VALUES ('r1', 's', 'software', 'SW-2026-0001', 'a', 'Tara Teacher', 'f1', 'pending', 0, '{}', 1, 1)",
      );
      await old.run(
        "INSERT INTO outbox (created_at, school_id, tenant_id, recipient, kind, payload, status, next_attempt_at) VALUES (1, 's', 't', 'a', 'send', '{}', 'pending', 1)",
      );
      await old.close();

      const db = await e.open();
      expect(await shape(db)).toEqual(reference);
      expect((await db.get<{ name: string }>("SELECT name FROM users WHERE aad_id = 'a'"))?.name).toBe('Tara Teacher');
      expect((await db.get<{ ref: string }>("SELECT ref FROM requests WHERE id = 'r1'"))?.ref).toBe('SW-2026-0001');
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))?.n)).toBe(1);
      // Every module's steps are recorded, none run twice: opening again changes nothing.
      const steps = allSchemas().reduce((n, s) => n + s.steps.length, 0);
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM module_migrations'))?.n)).toBe(steps);
      await db.close();
      await (await e.open()).close();
      await e.done();
    },
  );

  it('refuses two modules of the same name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'schema-'));
    const db = new SqliteDb(path.join(dir, 'x.sqlite'));
    const s = { module: 'twice', steps: [{ sql: 'CREATE TABLE twice_a (x TEXT)' }] };
    await expect(
      migrate(
        db,
        [s, s],
        async (script) => db.exec(`BEGIN; ${script}; COMMIT;`),
        async (sql) => db.exec(sql),
      ),
    ).rejects.toThrow(/two schemas are named "twice"/);
    await db.close();
  });
});
