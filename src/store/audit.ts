import { createHash } from 'node:crypto';
import type { Db } from './db';

/**
 * The append-only audit trail: who did what, when, to which record. Details hold ids and
 * outcomes, not the content people typed.
 *
 * Each school's entries form a hash chain: an entry carries its number in the school's sequence,
 * the hash of the entry before it, and its own hash over both and its content. The head of each
 * chain (last number, last hash) is kept beside it. Changing, back-dating, inserting or deleting an
 * entry, or cutting the last ones off, breaks the chain where it happened; `verifyAudit` finds it.
 * Someone able to rewrite the whole database and recompute every hash is caught by the fingerprint
 * the DPO receives each day (see `src/jobs/audit-check.ts`), which no longer matches.
 */
/** How many entries of these actions a school's trail holds in a period. */
export async function countSchoolActions(
  db: Db,
  schoolId: string,
  actions: readonly string[],
  from: number,
  to: number,
): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM audit_log WHERE school_id = ? AND action IN (${actions.map(() => '?').join(', ')}) AND at >= ? AND at < ?`,
    [schoolId, ...actions, from, to],
  );
  return Number(row?.n ?? 0);
}

/** How many entries of these actions a person made since a time (e.g. look-ups in the last hour). */
export async function countActions(
  db: Db,
  actorId: string,
  actions: readonly string[],
  since: number,
): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action IN (${actions.map(() => '?').join(', ')}) AND at > ?`,
    [actorId, ...actions, since],
  );
  return Number(row?.n ?? 0);
}

export interface AuditEntry {
  at: number;
  schoolId: string;
  actorId: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: number;
  school_id: string;
  actor_id: string;
  action: string;
  subject: string;
  detail: string;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The hash of one entry, over the previous hash, its number and every field as stored. */
function entryHash(
  prev: string,
  seq: number,
  r: Pick<AuditRow, 'at' | 'school_id' | 'actor_id' | 'action' | 'subject' | 'detail'>,
): string {
  const canonical = JSON.stringify([prev, seq, r.at, r.school_id, r.actor_id, r.action, r.subject, r.detail]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Takes the head of a school's chain for the rest of the transaction (locked on PostgreSQL; a
 * SQLite transaction holds the whole database anyway). Also for a caller that must read the log
 * and append to it as one step, such as a limit counted from it.
 */
export async function lockAuditChain(tx: Db, schoolId: string): Promise<{ seq: number; hash: string }> {
  await tx.run(`INSERT INTO audit_heads (school_id, seq, hash) VALUES (?, 0, '') ON CONFLICT DO NOTHING`, [schoolId]);
  return (await tx.get<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM audit_heads WHERE school_id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    [schoolId],
  ))!;
}

/** Appends to the school's chain. */
async function append(tx: Db, row: Omit<AuditRow, 'id' | 'seq' | 'prev_hash' | 'hash'>): Promise<void> {
  const head = await lockAuditChain(tx, row.school_id);
  const seq = Number(head.seq) + 1;
  const hash = entryHash(head.hash, seq, row);
  await tx.run(
    `INSERT INTO audit_log (at, school_id, actor_id, action, subject, detail, seq, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.at, row.school_id, row.actor_id, row.action, row.subject, row.detail, seq, head.hash, hash],
  );
  await tx.run(`UPDATE audit_heads SET seq = ?, hash = ? WHERE school_id = ?`, [seq, hash, row.school_id]);
}

/** Records one entry, in the caller's transaction when there is one (so it commits with the change it records). */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  const row = {
    at: entry.at,
    school_id: entry.schoolId,
    actor_id: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    detail: JSON.stringify(entry.detail ?? {}),
  };
  if (db.inTransaction) await append(db, row);
  else await db.transaction((tx) => append(tx, row));
}

export function auditFor(db: Db, subject: string): Promise<AuditRow[]> {
  return db.all<AuditRow>('SELECT * FROM audit_log WHERE subject = ? ORDER BY id', [subject]);
}

/**
 * Entries written before the chain existed are sealed into it once, in the order they were
 * written, when a school has no chained entry yet.
 */
export async function sealEarlierEntries(db: Db): Promise<number> {
  const schools = await db.all<{ school_id: string }>(
    `SELECT DISTINCT school_id FROM audit_log WHERE seq IS NULL AND school_id NOT IN (SELECT school_id FROM audit_heads)`,
  );
  let sealed = 0;
  for (const { school_id } of schools) {
    await db.transaction(async (tx) => {
      const rows = await tx.all<AuditRow>(`SELECT * FROM audit_log WHERE school_id = ? AND seq IS NULL ORDER BY id`, [
        school_id,
      ]);
      let prev = '';
      let seq = 0;
      for (const r of rows) {
        const hash = entryHash(prev, ++seq, r);
        await tx.run(`UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?`, [seq, prev, hash, r.id]);
        prev = hash;
      }
      await tx.run(`INSERT INTO audit_heads (school_id, seq, hash) VALUES (?, ?, ?)`, [school_id, seq, prev]);
      sealed += rows.length;
    });
  }
  return sealed;
}

export interface AuditCheck {
  schoolId: string;
  entries: number;
  /** The last entry's number and hash: the fingerprint a DPO can compare from one day to the next. */
  head: { seq: number; hash: string };
  /** Each break found, in words, with the entry number where it is. */
  problems: string[];
}

/** Walks a school's chain from the first entry and reports every place it does not hold. */
export async function verifyAudit(db: Db, schoolId: string): Promise<AuditCheck> {
  const problems: string[] = [];
  const head = await db.get<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_heads WHERE school_id = ?`, [
    schoolId,
  ]);
  const loose = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM audit_log WHERE school_id = ? AND (seq IS NULL OR hash IS NULL)`,
    [schoolId],
  );
  if (Number(loose?.n ?? 0) > 0) problems.push(`${loose!.n} entr(y/ies) outside the chain (inserted without a hash)`);
  let prev = '';
  let expected = 1;
  let entries = 0;
  // Pages of rows, so a long history never sits in memory at once.
  for (let after = 0; ;) {
    const rows = await db.all<AuditRow>(
      `SELECT * FROM audit_log WHERE school_id = ? AND seq IS NOT NULL AND seq > ? ORDER BY seq LIMIT 1000`,
      [schoolId, after],
    );
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      entries++;
      if (seq !== expected) problems.push(`entries ${expected}–${seq - 1} are missing`);
      if (r.prev_hash !== prev && seq === expected) problems.push(`entry ${seq} does not follow entry ${seq - 1}`);
      if (entryHash(r.prev_hash ?? '', seq, r) !== r.hash)
        problems.push(`entry ${seq} was changed after it was written`);
      prev = r.hash ?? '';
      expected = seq + 1;
    }
    after = Number(rows.at(-1)!.seq);
  }
  const end = expected - 1;
  const recorded = Number(head?.seq ?? 0);
  if (head && recorded > end) problems.push(`the last ${recorded - end} entr(y/ies) (up to ${recorded}) are missing`);
  else if (head && recorded < end)
    problems.push(`${end - recorded} entr(y/ies) after the chain's recorded end (${recorded})`);
  else if (head && head.hash !== prev) problems.push(`the last entry is not the one the chain ended with`);
  if (!head && entries) problems.push('the chain has no recorded end');
  return { schoolId, entries, head: { seq: Number(head?.seq ?? 0), hash: head?.hash ?? '' }, problems };
}
