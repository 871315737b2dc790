import type { Db } from './db';

/**
 * The append-only audit trail: who did what, when, to which record. Details hold ids and
 * outcomes, not the content people typed.
 */
export async function audit(
  db: Db,
  entry: {
    at: number;
    schoolId: string;
    actorId: string;
    action: string;
    subject: string;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await db.run('INSERT INTO audit_log (at, school_id, actor_id, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)', [
    entry.at,
    entry.schoolId,
    entry.actorId,
    entry.action,
    entry.subject,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

export interface AuditRow {
  id: number;
  at: number;
  school_id: string;
  actor_id: string;
  action: string;
  subject: string;
  detail: string;
}

export function auditFor(db: Db, subject: string): Promise<AuditRow[]> {
  return db.all<AuditRow>('SELECT * FROM audit_log WHERE subject = ? ORDER BY id', [subject]);
}
