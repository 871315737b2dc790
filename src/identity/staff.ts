import type { Db } from '../store/db';

/**
 * The staff list of each school (table `staff`): who works there now, since when, and who has
 * left. Filled from the staff teams' rosters when a school names them, else from everyone who uses
 * the bot. The acknowledgement reminders, device permissions and leaver duties read it here.
 */
export interface StaffMember {
  aad_id: string;
  name: string;
}

/** Everyone on the school's list who has not left, by name. */
export function currentStaff(db: Db, schoolId: string): Promise<StaffMember[]> {
  return db.all<StaffMember>('SELECT aad_id, name FROM staff WHERE school_id = ? AND left_at IS NULL ORDER BY name', [
    schoolId,
  ]);
}

/** When each person on the list left (only those who have). */
export async function leavers(db: Db, schoolId: string): Promise<Map<string, number>> {
  const rows = await db.all<{ aad_id: string; left_at: number }>(
    'SELECT aad_id, left_at FROM staff WHERE school_id = ? AND left_at IS NOT NULL',
    [schoolId],
  );
  return new Map(rows.map((r) => [r.aad_id, r.left_at]));
}

/** Who left the list since a time, with their names (for the leavers' checklist). */
export function leftSince(
  db: Db,
  schoolId: string,
  since: number,
): Promise<Array<{ aad_id: string; name: string; left_at: number }>> {
  return db.all(
    'SELECT aad_id, name, left_at FROM staff WHERE school_id = ? AND left_at IS NOT NULL AND left_at >= ?',
    [schoolId, since],
  );
}

export async function leftAt(db: Db, schoolId: string, aadId: string): Promise<number | undefined> {
  const r = await db.get<{ left_at: number | null }>('SELECT left_at FROM staff WHERE school_id = ? AND aad_id = ?', [
    schoolId,
    aadId,
  ]);
  return r?.left_at ?? undefined;
}

/** Puts a person on the list if they are not on it (someone who confirms the policy works here). */
export async function addIfAbsent(tx: Db, schoolId: string, aadId: string, name: string, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO staff (school_id, aad_id, name, source, joined_at, left_at) VALUES (?, ?, ?, 'bot', ?, NULL) ON CONFLICT (school_id, aad_id) DO NOTHING`,
    [schoolId, aadId, name, now],
  );
}

/**
 * Brings the list up to date with the people present now (a name change or a return is written;
 * nothing else is). When `complete` (a full roster was read), everyone else on the list has left:
 * their ids are returned, newly marked.
 */
export async function syncStaffList(
  tx: Db,
  schoolId: string,
  present: ReadonlyMap<string, { name: string; source: string }>,
  complete: boolean,
  now: number,
): Promise<string[]> {
  const known = await tx.all<{ aad_id: string; left_at: number | null }>(
    'SELECT aad_id, left_at FROM staff WHERE school_id = ?',
    [schoolId],
  );
  for (const [id, p] of present) {
    await tx.run(
      `INSERT INTO staff (school_id, aad_id, name, source, joined_at, left_at) VALUES (?, ?, ?, ?, ?, NULL)
       ON CONFLICT (school_id, aad_id) DO UPDATE SET name = excluded.name, left_at = NULL
       WHERE staff.name <> excluded.name OR staff.left_at IS NOT NULL`,
      [schoolId, id, p.name || 'Someone', p.source, now],
    );
  }
  const left: string[] = [];
  if (complete) {
    for (const k of known) {
      if (!present.has(k.aad_id) && !k.left_at) {
        await tx.run('UPDATE staff SET left_at = ? WHERE school_id = ? AND aad_id = ?', [now, schoolId, k.aad_id]);
        left.push(k.aad_id);
      }
    }
  }
  return left;
}

/** The schools whose list a person is on now (a person staffs one school, or a few in one tenant). */
export async function schoolsStaffing(db: Db, aadId: string): Promise<string[]> {
  const rows = await db.all<{ school_id: string }>('SELECT school_id FROM staff WHERE aad_id = ? AND left_at IS NULL', [
    aadId,
  ]);
  return rows.map((r) => r.school_id);
}
