// The log's queries: every read and change of `info_requests` goes through here.
import type { Db } from '../../store/db';
import type { Row } from './model';

export function byId(db: Db, schoolId: string, id: string): Promise<Row | undefined> {
  return db.get<Row>('SELECT * FROM info_requests WHERE id = ? AND school_id = ?', [id, schoolId]);
}

/** The request a form already logged (a click sent twice logs once). */
export function byFormKey(db: Db, formKey: string): Promise<Row | undefined> {
  return db.get<Row>('SELECT * FROM info_requests WHERE form_key = ?', [formKey]);
}

/** Requests not yet closed; with `dueOnly`, those whose clock is running. */
export function open(db: Db, schoolId: string, opts: { dueOnly?: boolean } = {}): Promise<Row[]> {
  return db.all<Row>(
    `SELECT * FROM info_requests WHERE school_id = ? AND closed_at IS NULL${opts.dueOnly ? ' AND due_on IS NOT NULL' : ''}`,
    [schoolId],
  );
}

/** Requests that arrived between two school dates (inclusive). */
export function receivedBetween(db: Db, schoolId: string, from: string, to: string): Promise<Row[]> {
  return db.all<Row>('SELECT * FROM info_requests WHERE school_id = ? AND received_on >= ? AND received_on <= ?', [
    schoolId,
    from,
    to,
  ]);
}

/** The whole log, in the order it is read: by the day each arrived. */
export function all(db: Db, schoolId: string): Promise<Row[]> {
  return db.all<Row>('SELECT * FROM info_requests WHERE school_id = ? ORDER BY received_on, ref', [schoolId]);
}

export async function insert(db: Db, r: Row, formKey: string, loggedById: string): Promise<void> {
  await db.run(
    `INSERT INTO info_requests (id, school_id, form_key, kind, ref, requester, received_on, received_how, identity, clock_from, summary, due_on, logged_by_id, logged_by_name, logged_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      r.id,
      r.school_id,
      formKey,
      r.kind,
      r.ref,
      r.requester,
      r.received_on,
      r.received_how,
      r.identity,
      r.clock_from,
      r.summary,
      r.due_on,
      loggedById,
      r.logged_by_name,
      r.logged_at,
    ],
  );
}

/** Starts a subject access clock once the proof of identity arrived (only if it has not started). */
export async function startClock(db: Db, id: string, from: string, due: string): Promise<void> {
  await db.run('UPDATE info_requests SET clock_from = ?, due_on = ? WHERE id = ? AND due_on IS NULL', [from, due, id]);
}

/** Extends the due date once, with the reason. */
export async function extend(db: Db, id: string, to: string, reason: string): Promise<void> {
  await db.run('UPDATE info_requests SET extended_to = ?, extension_reason = ? WHERE id = ? AND extended_to IS NULL', [
    to,
    reason,
    id,
  ]);
}

/** Closes a request with what was sent and when (only if still open). */
export async function close(
  db: Db,
  id: string,
  c: { at: number; byName: string; sentOn: string; outcome: string },
): Promise<void> {
  await db.run(
    'UPDATE info_requests SET closed_at = ?, closed_by_name = ?, sent_on = ?, outcome = ? WHERE id = ? AND closed_at IS NULL',
    [c.at, c.byName, c.sentOn, c.outcome, id],
  );
}
