import type { Db } from '../store/db';
import type { NoteRecord, RequestRecord, StageRecord } from './types';

interface RequestRow {
  id: string;
  school_id: string;
  type: string;
  ref: string;
  requester_id: string;
  requester_name: string;
  status: RequestRecord['status'];
  stage_index: number;
  data: string;
  created_at: number;
  updated_at: number;
  version: number;
}

interface StageRow {
  idx: number;
  name: string;
  roles: string;
  escalate_to: string;
  status: StageRecord['status'];
  started_at: number | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  reason: string | null;
  reminded_at: number | null;
  escalated_at: number | null;
}

export async function loadRequest(db: Db, id: string): Promise<RequestRecord | undefined> {
  const r = await db.get<RequestRow>('SELECT * FROM requests WHERE id = ?', [id]);
  if (!r) return undefined;
  const stages = await db.all<StageRow>('SELECT * FROM request_stages WHERE request_id = ? ORDER BY idx', [id]);
  const notes = await db.all<{
    at: number;
    author_id: string;
    author_name: string;
    kind: NoteRecord['kind'];
    text: string;
  }>('SELECT at, author_id, author_name, kind, text FROM request_notes WHERE request_id = ? ORDER BY id', [id]);
  return {
    id: r.id,
    schoolId: r.school_id,
    type: r.type,
    ref: r.ref,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    status: r.status,
    stageIndex: r.stage_index,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    stages: stages.map((s) => ({
      idx: s.idx,
      name: s.name,
      roles: JSON.parse(s.roles) as string[],
      escalateTo: JSON.parse(s.escalate_to) as string[],
      status: s.status,
      startedAt: s.started_at,
      decidedBy: s.decided_by,
      decidedByName: s.decided_by_name,
      decidedAt: s.decided_at,
      reason: s.reason,
      remindedAt: s.reminded_at,
      escalatedAt: s.escalated_at,
    })),
    notes: notes.map((n) => ({
      at: n.at,
      authorId: n.author_id,
      authorName: n.author_name,
      kind: n.kind,
      text: n.text,
    })),
  };
}

export async function findByFormKey(db: Db, formKey: string): Promise<string | undefined> {
  return (await db.get<{ id: string }>('SELECT id FROM requests WHERE form_key = ?', [formKey]))?.id;
}

export async function insertRequest(db: Db, r: RequestRecord, formKey: string): Promise<void> {
  await db.run(
    `INSERT INTO requests (id, school_id, type, ref, requester_id, requester_name, form_key, status, stage_index, data, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    [
      r.id,
      r.schoolId,
      r.type,
      r.ref,
      r.requesterId,
      r.requesterName,
      formKey,
      r.status,
      r.stageIndex,
      JSON.stringify(r.data),
      r.createdAt,
      r.updatedAt,
    ],
  );
  for (const s of r.stages) {
    await db.run(
      `INSERT INTO request_stages (request_id, idx, name, roles, escalate_to, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [r.id, s.idx, s.name, JSON.stringify(s.roles), JSON.stringify(s.escalateTo), s.status, s.startedAt],
    );
  }
}

export async function addNote(db: Db, requestId: string, n: NoteRecord): Promise<void> {
  await db.run(
    'INSERT INTO request_notes (request_id, at, author_id, author_name, kind, text) VALUES (?, ?, ?, ?, ?, ?)',
    [requestId, n.at, n.authorId, n.authorName, n.kind, n.text],
  );
}

/**
 * Records a decision on a stage only while it is still pending: the first valid click wins. True
 * when this one did.
 */
export async function decideStage(
  db: Db,
  requestId: string,
  idx: number,
  d: { status: 'approved' | 'denied'; by: string; byName: string; at: number; reason: string | null },
): Promise<boolean> {
  const r = await db.run(
    `UPDATE request_stages SET status = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, reason = ? WHERE request_id = ? AND idx = ? AND status = 'pending'`,
    [d.status, d.by, d.byName, d.at, d.reason, requestId, idx],
  );
  return r.changes === 1;
}

/** Opens the next stage of a request for decision. */
export async function startStage(db: Db, requestId: string, idx: number, now: number): Promise<void> {
  await db.run(`UPDATE request_stages SET status = 'pending', started_at = ? WHERE request_id = ? AND idx = ?`, [
    now,
    requestId,
    idx,
  ]);
}

/** Cancels the stages no one will decide now: those still waiting, and with `open` the pending one too. */
export async function cancelStages(db: Db, requestId: string, opts: { open?: boolean } = {}): Promise<void> {
  await db.run(
    `UPDATE request_stages SET status = 'cancelled' WHERE request_id = ? AND status IN (${opts.open ? "'pending', 'waiting'" : "'waiting'"})`,
    [requestId],
  );
}

/** Marks when a stage was escalated to the next in line, or its approvers reminded. */
export async function markStage(
  db: Db,
  requestId: string,
  idx: number,
  mark: 'escalated' | 'reminded',
  now: number,
): Promise<void> {
  const column = mark === 'escalated' ? 'escalated_at' : 'reminded_at';
  await db.run(`UPDATE request_stages SET ${column} = ? WHERE request_id = ? AND idx = ?`, [now, requestId, idx]);
}

/** Moves a request from one status to another only if it is still in the expected one. */
export async function setRequestStatus(
  db: Db,
  id: string,
  from: RequestRecord['status'][],
  to: RequestRecord['status'],
  now: number,
  stageIndex?: number,
): Promise<boolean> {
  const marks = from.map(() => '?').join(', ');
  const r = await db.run(
    `UPDATE requests SET status = ?, updated_at = ?, version = version + 1, stage_index = COALESCE(?, stage_index) WHERE id = ? AND status IN (${marks})`,
    [to, now, stageIndex ?? null, id, ...from],
  );
  return r.changes === 1;
}

export async function listForRequester(
  db: Db,
  schoolId: string,
  requesterId: string,
  limit = 10,
): Promise<RequestRow[]> {
  return db.all<RequestRow>(
    'SELECT * FROM requests WHERE school_id = ? AND requester_id = ? ORDER BY created_at DESC LIMIT ?',
    [schoolId, requesterId, limit],
  );
}

export async function pendingStages(
  db: Db,
  schoolId: string,
): Promise<
  Array<{
    request_id: string;
    idx: number;
    roles: string;
    escalate_to: string;
    escalated_at: number | null;
    ref: string;
    type: string;
    data: string;
    requester_id: string;
    requester_name: string;
    started_at: number | null;
  }>
> {
  return db.all(
    `SELECT s.request_id, s.idx, s.roles, s.escalate_to, s.escalated_at, r.ref, r.type, r.data, r.requester_id, r.requester_name, s.started_at
     FROM request_stages s JOIN requests r ON r.id = s.request_id
     WHERE r.school_id = ? AND s.status = 'pending' AND r.status IN ('pending', 'info_requested')
     ORDER BY r.created_at`,
    [schoolId],
  );
}

/** Steps waiting for a decision on requests still open, with when each started (for reminders). */
export function waitingSteps(
  db: Db,
  schoolId: string,
): Promise<Array<{ request_id: string; idx: number; started_at: number }>> {
  return db.all(
    `SELECT s.request_id, s.idx, s.started_at FROM request_stages s JOIN requests r ON r.id = s.request_id
     WHERE r.school_id = ? AND s.status = 'pending' AND r.status IN ('pending', 'info_requested') AND s.started_at IS NOT NULL`,
    [schoolId],
  );
}

/** Requests made in a period, by type and outcome, with the days each decided one took. */
export function requestsBetween(
  db: Db,
  schoolId: string,
  from: number,
  to: number,
): Promise<Array<{ type: string; status: string; created_at: number; updated_at: number }>> {
  return db.all(
    'SELECT type, status, created_at, updated_at FROM requests WHERE school_id = ? AND created_at >= ? AND created_at < ?',
    [schoolId, from, to],
  );
}
