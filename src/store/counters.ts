import type { Db } from './db';

/** The next human-friendly reference for a school, e.g. "SW-2026-0007" (numbers restart each year). */
export async function nextRef(tx: Db, schoolId: string, prefix: string, year: number): Promise<string> {
  const row = await tx.get<{ n: number }>(
    `INSERT INTO counters (school_id, prefix, year, n) VALUES (?, ?, ?, 1)
     ON CONFLICT (school_id, prefix, year) DO UPDATE SET n = counters.n + 1
     RETURNING n`,
    [schoolId, prefix, year],
  );
  return `${prefix}-${year}-${String(row!.n).padStart(4, '0')}`;
}

/** Records that a one-off job has fired. True only for the first caller, across restarts and instances. */
export async function markOnce(tx: Db, key: string, at: number): Promise<boolean> {
  const r = await tx.run('INSERT INTO job_marks (mark_key, at) VALUES (?, ?) ON CONFLICT (mark_key) DO NOTHING', [key, at]);
  return r.changes === 1;
}
