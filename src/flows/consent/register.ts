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

interface IndexedPupil {
  id: string;
  first: string;
  surname: string;
  year: string;
  group: string;
  tokens: string[];
  consents: Map<string, { status: string; recordedOn: string | null }>;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .trim();

/** Edit distance with adjacent swaps, giving up above `max`. */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2.splice(0, prev2.length, ...prev);
    prev = cur;
  }
  return prev[b.length]!;
}

/** Words that are names too rarely to be taken for one on their own ("Will", "May", "Can"…). */
const COMMON = new Set(
  `i a an the and or but if can could may might will would shall should must is are was were be do does did has have had
   who what when where why how which this that these those my our your their his her its we you they he she it me us them
   hi hello hey yes no please thanks ok year class school staff pupil pupils child children photo picture video
   website press paper display board consent permission`.split(/\s+/),
);

const allowedTypos = (w: string) => (w.length >= 8 ? 2 : w.length >= 4 ? 1 : 0);

/** The register of one school in memory, for fast, typo-tolerant look-ups; reloaded when its version changes. */
export class ConsentIndex {
  private pupils: IndexedPupil[] = [];
  private groups = new Map<string, IndexedPupil[]>();
  /** Each distinct name word, with the pupils who have it: typos are matched against words, not pupils. */
  private byToken = new Map<string, Set<IndexedPupil>>();
  version = -1;

  static async load(db: Db, schoolId: string): Promise<ConsentIndex> {
    const idx = new ConsentIndex();
    idx.version = await registerVersion(db, schoolId);
    const byId = new Map<string, IndexedPupil>();
    for (const p of await db.all<{ pupil_id: string; first_name: string; surname: string; year: string; grp: string }>(
      'SELECT pupil_id, first_name, surname, year, grp FROM pupils WHERE school_id = ? AND left_at IS NULL',
      [schoolId],
    )) {
      const ip: IndexedPupil = {
        id: p.pupil_id,
        first: p.first_name,
        surname: p.surname,
        year: p.year,
        group: p.grp,
        tokens: norm(`${p.first_name} ${p.surname}`).split(/\s+/),
        consents: new Map(),
      };
      byId.set(ip.id, ip);
      idx.pupils.push(ip);
      for (const t of ip.tokens) {
        let set = idx.byToken.get(t);
        if (!set) idx.byToken.set(t, (set = new Set()));
        set.add(ip);
      }
      for (const g of [norm(p.grp), norm(`year ${p.year}`), norm(p.year)])
        idx.groups.set(g, [...(idx.groups.get(g) ?? []), ip]);
    }
    for (const c of await db.all<{ pupil_id: string; use_key: string; status: string; recorded_on: string | null }>(
      'SELECT pupil_id, use_key, status, recorded_on FROM consents WHERE school_id = ?',
      [schoolId],
    )) {
      byId.get(c.pupil_id)?.consents.set(c.use_key, { status: c.status, recordedOn: c.recorded_on });
    }
    return idx;
  }

  get size(): number {
    return this.pupils.length;
  }

  /** Pupils whose name matches every word typed (each word may have a typo or be the start of a name). */
  find(name: string): IndexedPupil[] {
    const words = norm(name).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    let candidates: Set<IndexedPupil> | undefined;
    for (const w of words) {
      const max = allowedTypos(w);
      const matched = new Set<IndexedPupil>();
      for (const [t, ps] of this.byToken) {
        if (t === w || (w.length >= 3 && t.startsWith(w)) || (max > 0 && distance(w, t, max) <= max)) {
          for (const p of ps) if (!candidates || candidates.has(p)) matched.add(p);
        }
      }
      candidates = matched;
      if (!candidates.size) break;
    }
    const out = [...(candidates ?? [])];
    // Exact names first.
    const exact = out.filter((p) => words.every((w) => p.tokens.includes(w)));
    return exact.length ? exact : out;
  }

  /**
   * Pupils named in a sentence ("can Freya O'Brien be in the paper?"): runs of words that are all
   * words of one pupil's name. Two or more words may be in any case; a single word counts only when
   * it is capitalised and not a common word at the start of a sentence. A capitalised word may
   * carry a typo.
   */
  spot(text: string): Array<{ start: number; end: number; text: string; pupils: IndexedPupil[] }> {
    const words: Array<{ w: string; start: number; end: number; capital: boolean }> = [];
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = norm(m[0]);
      if (w) words.push({ w, start: m.index, end: m.index + m[0].length, capital: /^\p{Lu}/u.test(m[0]) });
    }
    const out: Array<{ start: number; end: number; text: string; pupils: IndexedPupil[] }> = [];
    const matching = (x: { w: string; capital: boolean }): Set<IndexedPupil> | undefined => {
      const exact = this.byToken.get(x.w);
      if (exact || !x.capital || x.w.length < 4) return exact;
      const max = allowedTypos(x.w);
      const found = new Set<IndexedPupil>();
      for (const [t, ps] of this.byToken) if (distance(x.w, t, max) <= max) for (const p of ps) found.add(p);
      return found.size ? found : undefined;
    };
    for (let i = 0; i < words.length;) {
      let set = matching(words[i]!);
      let j = i;
      while (set && j + 1 < words.length && j - i < 3) {
        const next = matching(words[j + 1]!);
        if (!next) break;
        const both = new Set([...set].filter((p) => next.has(p)));
        if (!both.size) break;
        set = both;
        j++;
      }
      const first = words[i]!;
      const single = j === i;
      const sentenceStart = i === 0 || /[.!?]\s*$/.test(text.slice(words[i - 1]!.end, first.start));
      const ok = set && (!single || (first.capital && !(sentenceStart && COMMON.has(first.w)) && !COMMON.has(first.w)));
      if (ok) {
        out.push({
          start: first.start,
          end: words[j]!.end,
          text: text.slice(first.start, words[j]!.end),
          pupils: [...set!],
        });
        i = j + 1;
      } else i++;
    }
    return out;
  }

  group(name: string): IndexedPupil[] {
    return this.groups.get(norm(name)) ?? [];
  }
}

export type { IndexedPupil };
