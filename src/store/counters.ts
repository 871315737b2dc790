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

/**
 * A school's version counter (year 0 of a prefix): bumped when its data changes, read by every
 * instance to know when to reload what it holds in memory.
 */
export async function bumpVersion(tx: Db, schoolId: string, prefix: string): Promise<void> {
  await tx.run(
    `INSERT INTO counters (school_id, prefix, year, n) VALUES (?, ?, 0, 1) ON CONFLICT (school_id, prefix, year) DO UPDATE SET n = counters.n + 1`,
    [schoolId, prefix],
  );
}

export async function versionOf(db: Db, schoolId: string, prefix: string): Promise<number> {
  return (
    (
      await db.get<{ n: number }>(`SELECT n FROM counters WHERE school_id = ? AND prefix = ? AND year = 0`, [
        schoolId,
        prefix,
      ])
    )?.n ?? 0
  );
}

/** Whether a one-off job's mark is set already (this process remembers marks it has seen set). */
export async function isMarked(db: Db, key: string): Promise<boolean> {
  if (db.knownMarks?.has(key)) return true;
  const set = Boolean(await db.get('SELECT 1 AS x FROM job_marks WHERE mark_key = ?', [key]));
  if (set) db.knownMarks?.add(key);
  return set;
}

/** Records that a one-off job has fired. True only for the first caller, across restarts and instances. */
export async function markOnce(tx: Db, key: string, at: number): Promise<boolean> {
  const r = await tx.run('INSERT INTO job_marks (mark_key, at) VALUES (?, ?) ON CONFLICT (mark_key) DO NOTHING', [
    key,
    at,
  ]);
  return r.changes === 1;
}

/**
 * Does `work` once for a set of marks: in one transaction it sets the marks, and runs `work` only
 * if at least one of them was new. Marks this process has already seen set are skipped without a
 * transaction, so jobs that run every 30 seconds over thousands of people write nothing when
 * nothing is due. The database stays the authority: a restart or another instance only re-checks.
 */
export async function once(db: Db, keys: string[], now: number, work: (tx: Db) => Promise<void>): Promise<boolean> {
  const known = db.knownMarks ?? new Set<string>();
  if (known.size > 200_000) known.clear();
  if (keys.every((k) => known.has(k))) return false;
  const ran = await db.transaction(async (tx) => {
    let fresh = false;
    for (const k of keys) if (await markOnce(tx, k, now)) fresh = true;
    if (fresh) await work(tx);
    return fresh;
  });
  for (const k of keys) known.add(k);
  return ran;
}
