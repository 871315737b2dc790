import { isoSchoolTime } from '../clock';
import type { Db } from './db';
import type { ModuleSchema } from './schema';

export interface PersonalRow {
  module: string;
  table: string;
  about: string;
  at?: number;
  row: Record<string, unknown>;
}

/**
 * Everything the bot holds about one person, as each module declares it (`personal` in its
 * schema): the rows naming them, oldest first. For a subject access request; the DPO's export.
 */
export async function personalRows(db: Db, schemas: readonly ModuleSchema[], aadId: string): Promise<PersonalRow[]> {
  const out: PersonalRow[] = [];
  for (const s of schemas) {
    for (const p of s.personal ?? []) {
      const where = p.columns.map((c) => `${c} = ?`).join(' OR ');
      for (const row of await db.all<Record<string, unknown>>(`SELECT * FROM ${p.table} WHERE ${where}`, [
        ...p.columns.map(() => aadId),
      ])) {
        const at = p.at && row[p.at] !== null && row[p.at] !== undefined ? Number(row[p.at]) : undefined;
        out.push({ module: s.module, table: p.table, about: p.about, at, row });
      }
    }
  }
  return out.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
}

/** The rows as a CSV's rows: when (ISO 8601, the school's offset), what, where, and the row itself. */
export function personalCsvRows(rows: readonly PersonalRow[], timeZone: string): string[][] {
  return rows.map((r) => [
    r.at !== undefined ? isoSchoolTime(r.at, timeZone) : '',
    r.about,
    `${r.module}/${r.table}`,
    JSON.stringify(r.row),
  ]);
}

/** What erasing a person would do, or did: the rows deleted, and those kept with the reason. */
export interface ErasurePlan {
  deleted: Array<{ about: string; table: string; rows: number }>;
  kept: Array<{ about: string; reason: string; rows: number }>;
}

/**
 * Erases what the modules let go of (`erase: 'delete'`) and lists what they keep and why. With
 * `dryRun`, only counts. Run it in a transaction: all of it happens, or none.
 */
export async function erasePerson(
  db: Db,
  schemas: readonly ModuleSchema[],
  aadId: string,
  dryRun: boolean,
): Promise<ErasurePlan> {
  const plan: ErasurePlan = { deleted: [], kept: [] };
  for (const s of schemas) {
    for (const p of s.personal ?? []) {
      const where = p.columns.map((c) => `${c} = ?`).join(' OR ');
      const args = p.columns.map(() => aadId);
      const n = Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${p.table} WHERE ${where}`, args))!.n);
      if (!n) continue;
      if (p.erase === 'delete') {
        if (!dryRun) await db.run(`DELETE FROM ${p.table} WHERE ${where}`, args);
        plan.deleted.push({ about: p.about, table: p.table, rows: n });
      } else plan.kept.push({ about: p.about, reason: p.erase.keep, rows: n });
    }
  }
  return plan;
}
