import type { Db } from './db';

/** A schema change: SQL both engines accept, or one script per engine. `{{id}}` is an auto-numbered key. */
export type Migration = string | { sqlite: string; postgres: string };

/**
 * The tables one module owns, as the steps that made them, in order. A step is never edited once
 * shipped: a change is the next step. `legacy`: the version of the one shared list of migrations
 * this step shipped in, before each module had its own; a database made then has it already.
 */
export interface ModuleSchema {
  module: string;
  steps: Array<{ sql: Migration; legacy?: number }>;
  /**
   * What the module's tables hold about a person, for a subject access request: each table's rows
   * whose `columns` name the person (their Teams id), what such a row is, and its time column.
   * A table with nothing about a person is not listed.
   */
  personal?: Array<{
    table: string;
    about: string;
    columns: string[];
    at?: string;
    /**
     * What an erasure request does to these rows: deletes them, or keeps them with the reason the
     * law lets the school keep them (a legal obligation, evidence, the school's own records).
     */
    erase: 'delete' | { keep: string };
  }>;
  /** How long the module's records are kept, and when one is past its use (see the retention flow). */
  retention?: RetentionRule[];
}

export interface RetentionRule {
  /** The record kind, as the school's YAML names it in `retention` ("policyQuestions"). */
  kind: string;
  /** What the records are, for the register. */
  about: string;
  table: string;
  /** The column (epoch milliseconds) the period runs from; a row without it is not yet past its use. */
  from: string;
  /** Further condition for a row to be past its use ("status IN ('approved', 'denied')"). */
  when?: string;
  defaultDays: number;
  /** The least a school may set: records the school must keep whatever its YAML says. */
  minDays?: number;
  /** Why this period. */
  basis: string;
  /** Rows belonging to each record, deleted with it: their table and the column holding its `id`. */
  with?: Array<{ table: string; column: string }>;
  /** The table has no school column: kept for all schools alike. */
  shared?: boolean;
}

/** Runs a script and records it, atomically. */
export type ApplyMigration = (script: string) => Promise<void>;

/**
 * Brings every module's tables up to date, module by module in the order given (the shared
 * modules, then the flows in registry order), each step once. Steps a database made with the one
 * shared list already has are recorded without running. Returns how many steps ran.
 */
export async function migrate(
  db: Db,
  schemas: readonly ModuleSchema[],
  apply: ApplyMigration,
  execScript: (sql: string) => Promise<void>,
): Promise<number> {
  await execScript(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
     CREATE TABLE IF NOT EXISTS module_migrations (module TEXT NOT NULL, step INTEGER NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, step));`,
  );
  const legacy = Number(
    (await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations'))?.v ?? 0,
  );
  const done = new Set(
    (await db.all<{ module: string; step: number }>('SELECT module, step FROM module_migrations')).map(
      (r) => `${r.module}:${r.step}`,
    ),
  );
  const idType = db.dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const seen = new Set<string>();
  let ran = 0;
  for (const s of schemas) {
    if (seen.has(s.module)) throw new Error(`two schemas are named "${s.module}"`);
    seen.add(s.module);
    for (const [i, step] of s.steps.entries()) {
      if (done.has(`${s.module}:${i + 1}`)) continue;
      if (!/^[a-z][a-z0-9-]*$/.test(s.module)) throw new Error(`bad module name "${s.module}"`);
      const record = `INSERT INTO module_migrations (module, step, applied_at) VALUES ('${s.module}', ${i + 1}, ${Date.now()})`;
      if (step.legacy !== undefined && step.legacy <= legacy) {
        await apply(record);
        continue;
      }
      const sql = (typeof step.sql === 'string' ? step.sql : step.sql[db.dialect]).replaceAll('{{id}}', idType);
      await apply(`${sql};\n${record}`);
      ran++;
    }
  }
  return ran;
}
