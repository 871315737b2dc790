import type { Db } from '../store/db';

/**
 * Role holders who said they are away (table `absences`), and the deputy each named: while an
 * absence runs, cards for the holder's roles go to the deputy, who may act on them, and the record
 * says on whose behalf. Days are the school's dates, both included; an absence ended early has
 * `ended_at`.
 */
export interface Absence {
  id: string;
  school_id: string;
  aad_id: string;
  name: string;
  deputy_id: string;
  deputy_name: string;
  from_on: string;
  until_on: string;
  created_at: number;
  ended_at: number | null;
}

/** Absences running on a day. */
export function absencesOn(db: Db, schoolId: string, day: string): Promise<Absence[]> {
  return db.all<Absence>(
    'SELECT * FROM absences WHERE school_id = ? AND from_on <= ? AND until_on >= ? AND ended_at IS NULL ORDER BY created_at',
    [schoolId, day, day],
  );
}

/** Records an absence, ending any the person had running or planned. */
export async function recordAbsence(tx: Db, a: Omit<Absence, 'ended_at'>): Promise<void> {
  await tx.run('UPDATE absences SET ended_at = ? WHERE school_id = ? AND aad_id = ? AND ended_at IS NULL', [
    a.created_at,
    a.school_id,
    a.aad_id,
  ]);
  await tx.run(
    'INSERT INTO absences (id, school_id, aad_id, name, deputy_id, deputy_name, from_on, until_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [a.id, a.school_id, a.aad_id, a.name, a.deputy_id, a.deputy_name, a.from_on, a.until_on, a.created_at],
  );
}

/** Ends the person's absences (back early); returns how many were running or planned. */
export async function endAbsences(tx: Db, schoolId: string, aadId: string, now: number): Promise<number> {
  return (
    await tx.run('UPDATE absences SET ended_at = ? WHERE school_id = ? AND aad_id = ? AND ended_at IS NULL', [
      now,
      schoolId,
      aadId,
    ])
  ).changes;
}
