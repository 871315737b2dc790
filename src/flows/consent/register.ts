import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { SchoolConfig } from '../../config';
import type { Db } from '../../store/db';
import { bumpVersion as bumpCounter, versionOf } from '../../store/counters';

export const USES = {
  website: 'the school website',
  prospectus: 'the prospectus and printed publications',
  video: 'video, webcam and video calls',
  learningPlatform: 'the learning platform',
  displayInside: 'displays inside the school',
  displayOutside: 'displays outside the school',
  press: 'press and media',
  socialMedia: 'social media',
} as const;
export type UseKey = keyof typeof USES;
export const USE_KEYS = Object.keys(USES) as [UseKey, ...UseKey[]];

/**
 * Parses an MIS export with csv-parse: a byte-order mark, comma, semicolon or tab between fields
 * (whichever the first row uses most), quoted fields with newlines in them, and a stray quote
 * inside a field taken as a character rather than the start of a quoted field.
 */
export function parseCsv(text: string): string[][] {
  const firstLine = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t']
    .map((d) => [d, firstLine.split(d).length] as const)
    .sort((x, y) => y[1] - x[1])[0]![0];
  const rows = parse(text, {
    bom: true,
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export interface PupilRow {
  pupilId: string;
  firstName: string;
  surname: string;
  year: string;
  group: string;
  date: string | null;
  uses: Partial<Record<UseKey, 'yes' | 'no'>>;
}

const YES = new Set(['yes', 'y', 'true', '1', 'consent', 'given']);
const NO = new Set(['no', 'n', 'false', '0', 'refused', 'withdrawn']);

/** "12/09/2026" or "2026-09-12" → "2026-09-12". */
function isoDate(s: string): string | null | undefined {
  const t = s.trim();
  if (!t) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return t;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return undefined;
}

/** One row of the export, checked field by field, each problem said in the office's terms. */
function rowSchema(uses: ReadonlyArray<readonly [UseKey, string]>) {
  const answer = (column: string) =>
    z.string().transform((v, ctx): 'yes' | 'no' | undefined => {
      const t = v.toLowerCase();
      if (!t) return undefined;
      if (YES.has(t)) return 'yes';
      if (NO.has(t)) return 'no';
      ctx.addIssue({ code: 'custom', message: `"${v}" under ${column} is not yes, no or blank` });
      return z.NEVER;
    });
  return z.object({
    pupilId: z.string().min(1, 'no pupil id'),
    name: z
      .tuple([z.string(), z.string()])
      .refine(([first, surname]) => first !== '' && surname !== '', 'no first name or surname'),
    uses: z.object(Object.fromEntries(uses.map(([k, column]) => [k, answer(column)]))) as unknown as z.ZodType<
      PupilRow['uses']
    >,
    date: z.string().transform((v, ctx): string | null => {
      const d = isoDate(v);
      if (d !== undefined) return d;
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a date (use DD/MM/YYYY)` });
      return z.NEVER;
    }),
    year: z.string(),
    group: z.string(),
  });
}

/**
 * Reads an MIS export with the school's column mapping. Every bad row is reported with its row
 * number (as a spreadsheet shows it) and reason; with any problem, nothing is returned to import.
 */
export function readRegister(school: SchoolConfig, csv: string): { rows: PupilRow[]; problems: string[] } {
  const cols = school.consent.columns;
  const table = parseCsv(csv);
  const problems: string[] = [];
  if (!table.length) return { rows: [], problems: ['The file is empty.'] };
  const header = table[0]!.map((h) => h.trim().toLowerCase());
  const at = (name: string) => header.indexOf(name.trim().toLowerCase());
  const need: Array<[string, string]> = [
    ['id', cols.id],
    ['firstName', cols.firstName],
    ['surname', cols.surname],
    ['year', cols.year],
    ['group', cols.group],
  ];
  for (const [, name] of need) if (at(name) < 0) problems.push(`The column "${name}" is missing from the first row.`);
  const useCols = Object.entries(cols.uses)
    .map(([k, name]) => [k as UseKey, at(name)] as const)
    .filter(([, i]) => i >= 0);
  if (!useCols.length)
    problems.push(`None of the consent columns (${Object.values(cols.uses).join(', ')}) is in the first row.`);
  if (problems.length) return { rows: [], problems };
  const dateCol = at(cols.date);
  const Row = rowSchema(useCols.map(([k]) => [k, cols.uses[k] ?? k] as const));
  const seen = new Map<string, number>();
  const rows: PupilRow[] = [];
  table.slice(1).forEach((r, i) => {
    const line = i + 2;
    const get = (idx: number) => (idx >= 0 ? (r[idx] ?? '').trim() : '');
    const parsed = Row.safeParse({
      pupilId: get(at(cols.id)),
      name: [get(at(cols.firstName)), get(at(cols.surname))],
      uses: Object.fromEntries(useCols.map(([k, idx]) => [k, get(idx)])),
      date: get(dateCol),
      year: get(at(cols.year)),
      group: get(at(cols.group)),
    });
    const rowProblems = parsed.success ? [] : parsed.error.issues.map((x) => x.message);
    const id = get(at(cols.id));
    if (id && seen.has(id)) rowProblems.splice(0, 0, `the same pupil id as row ${seen.get(id)}`);
    if (rowProblems.length || !parsed.success) problems.push(`Row ${line}: ${rowProblems.join('; ')}.`);
    else {
      seen.set(id, line);
      const d = parsed.data;
      rows.push({
        pupilId: d.pupilId,
        firstName: d.name[0],
        surname: d.name[1],
        year: d.year,
        group: d.group,
        date: d.date,
        uses: d.uses,
      });
    }
  });
  return { rows, problems };
}

export interface ImportSummary {
  pupils: number;
  added: number;
  left: number;
  given: number;
  withdrawn: number;
  /**
   * Written withdrawals the office recorded in the bot that the file contradicts: they stand
   * (consent can be withdrawn in writing at any time) until the office records consent as given.
   */
  held: Array<{ pupilId: string; name: string; use: UseKey; fileSays: string | null }>;
}

/** Bumps the register's version so every instance reloads its look-up index. */
export function bumpVersion(tx: Db, schoolId: string): Promise<void> {
  return bumpCounter(tx, schoolId, REGISTER_VERSION);
}

/** The register's version: another instance's change shows here. */
export function registerVersion(db: Db, schoolId: string): Promise<number> {
  return versionOf(db, schoolId, REGISTER_VERSION);
}

const REGISTER_VERSION = 'consent-register';

/**
 * Imports the whole register in one transaction: new pupils are added, pupils missing from the
 * file are marked as left, and every consent given or withdrawn is recorded as a change.
 */
export async function importRegister(
  db: Db,
  school: SchoolConfig,
  rows: PupilRow[],
  actorId: string,
  now: number,
): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const existing = new Map<string, { left_at: number | null }>();
    for (const p of await tx.all<{ pupil_id: string; left_at: number | null }>(
      'SELECT pupil_id, left_at FROM pupils WHERE school_id = ?',
      [school.id],
    ))
      existing.set(p.pupil_id, p);
    const consents = new Map<string, string>();
    const withdrawnInWriting = new Set<string>();
    for (const c of await tx.all<{ pupil_id: string; use_key: string; status: string; source: string }>(
      'SELECT pupil_id, use_key, status, source FROM consents WHERE school_id = ?',
      [school.id],
    )) {
      consents.set(`${c.pupil_id}|${c.use_key}`, c.status);
      if (c.source === 'office' && c.status === 'no') withdrawnInWriting.add(`${c.pupil_id}|${c.use_key}`);
    }
    const sum: ImportSummary = { pupils: rows.length, added: 0, left: 0, given: 0, withdrawn: 0, held: [] };
    const inFile = new Set<string>();
    for (const r of rows) {
      inFile.add(r.pupilId);
      if (!existing.has(r.pupilId)) sum.added++;
      await tx.run(
        `INSERT INTO pupils (school_id, pupil_id, first_name, surname, year, grp, left_at) VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (school_id, pupil_id) DO UPDATE SET first_name = excluded.first_name, surname = excluded.surname, year = excluded.year, grp = excluded.grp, left_at = NULL`,
        [school.id, r.pupilId, r.firstName, r.surname, r.year, r.group],
      );
      for (const use of USE_KEYS) {
        const to = r.uses[use] ?? null;
        const from = consents.get(`${r.pupilId}|${use}`) ?? null;
        if (to === from) continue;
        if (withdrawnInWriting.has(`${r.pupilId}|${use}`)) {
          sum.held.push({ pupilId: r.pupilId, name: `${r.firstName} ${r.surname}`, use, fileSays: to });
          continue;
        }
        if (to) {
          await tx.run(
            `INSERT INTO consents (school_id, pupil_id, use_key, status, recorded_on, source, updated_at) VALUES (?, ?, ?, ?, ?, 'import', ?)
             ON CONFLICT (school_id, pupil_id, use_key) DO UPDATE SET status = excluded.status, recorded_on = excluded.recorded_on, source = excluded.source, updated_at = excluded.updated_at`,
            [school.id, r.pupilId, use, to, r.date, now],
          );
        } else {
          await tx.run('DELETE FROM consents WHERE school_id = ? AND pupil_id = ? AND use_key = ?', [
            school.id,
            r.pupilId,
            use,
          ]);
        }
        if (existing.has(r.pupilId) || to) {
          await tx.run(
            'INSERT INTO consent_changes (school_id, pupil_id, use_key, from_status, to_status, at, recorded_on, source, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [school.id, r.pupilId, use, from, to, now, r.date, 'import', actorId],
          );
        }
        if (existing.has(r.pupilId) && to === 'yes') sum.given++;
        if (existing.has(r.pupilId) && from === 'yes' && to !== 'yes') sum.withdrawn++;
      }
    }
    for (const [id, p] of existing) {
      if (inFile.has(id) || p.left_at) continue;
      await tx.run('UPDATE pupils SET left_at = ? WHERE school_id = ? AND pupil_id = ?', [now, school.id, id]);
      sum.left++;
    }
    await bumpVersion(tx, school.id);
    return sum;
  });
}
