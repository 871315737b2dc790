/** Breach records as stored: one row per breach holding its latest version, every version beside it. */
import type { Db } from '../../store/db';
import type { Services } from '../types';
import { type BreachRecord } from './model';

export interface BreachRow {
  id: string;
  school_id: string;
  ref: string;
  reporter_id: string;
  version: number;
  record: string;
  created_at: number;
}

export interface Breach {
  id: string;
  ref: string;
  schoolId: string;
  reporterId: string;
  version: number;
  record: BreachRecord;
}

export const toBreach = (r: BreachRow): Breach => ({
  id: r.id,
  ref: r.ref,
  schoolId: r.school_id,
  reporterId: r.reporter_id,
  version: r.version,
  record: JSON.parse(r.record) as BreachRecord,
});

export async function loadBreach(db: Db, id: string): Promise<Breach | undefined> {
  const r = await db.get<BreachRow>(
    'SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE id = ?',
    [id],
  );
  return r && toBreach(r);
}

export async function allForExport(svc: Services, schoolId: string): Promise<Breach[]> {
  const rows = await svc.db.all<BreachRow>(
    'SELECT id, school_id, ref, reporter_id, version, record, created_at FROM breaches WHERE school_id = ? ORDER BY created_at',
    [schoolId],
  );
  return rows.map(toBreach);
}
