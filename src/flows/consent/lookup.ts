// Finding pupils and classes in the consent register as staff type them: names with a typo allowed, classes and years.
import type { Db } from '../../store/db';
import { registerVersion } from './register';
import { WordVectors } from '../../language/vectors';
import { TITLE, usedBefore } from '../../language/words';

export interface IndexedPupil {
  id: string;
  first: string;
  surname: string;
  year: string;
  group: string;
  tokens: string[];
  consents: Map<string, { status: string; recordedOn: string | null }>;
}

/** A name as it is matched: no accents, no apostrophes ("O'Donnell" is typed "odonnell" on a phone), other marks as spaces. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’‘`]/g, '')
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

/**
 * How rare in English a pupil's first name must be to count typed alone in lower case, as its rank
 * among the word vectors' words by use: "maja", "isla", "amelia" (rank 18,000 and more), or none
 * at all ("kofi" ranks 6,156; "harry" 3,011, "grace" 4,724, "mark" 733 need their capital).
 */
const RARE_NAME_RANK = 10_000;

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
   * it is capitalised and not a common word at the start of a sentence, or, typed in lower case on a
   * phone ("can maja be in the school video"), when it is a pupil's first name as written that
   * English rarely uses (see `RARE_NAME_RANK`). A capitalised word may carry a typo.
   */
  spot(text: string): Array<{ start: number; end: number; text: string; pupils: IndexedPupil[] }> {
    const words: Array<{ w: string; start: number; end: number; capital: boolean; owner: boolean; title: boolean }> =
      [];
    const english = WordVectors.load();
    // A word runs on over an apostrophe ("O'Brien"), less a possessive's ("Freya's").
    for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
      let w = norm(m[0].replace(/['’]s$/i, ''));
      let owner = w !== norm(m[0]);
      // A possessive typed on a phone without its apostrophe ("olivers photo"): a name and an "s"
      // that together make no word English uses often ("marks" stays marks), before another word.
      const bare = w.slice(0, -1);
      if (
        !owner &&
        w.endsWith('s') &&
        !this.byToken.has(w) &&
        this.byToken.has(bare) &&
        english.rank(w) >= RARE_NAME_RANK &&
        /^\s+\p{L}/u.test(text.slice(m.index + m[0].length))
      ) {
        w = bare;
        owner = true;
      }
      const title = TITLE.test(m[0]);
      if (w)
        words.push({ w, start: m.index, end: m.index + m[0].length, capital: /^\p{Lu}/u.test(m[0]), owner, title });
    }
    const out: Array<{ start: number; end: number; text: string; pupils: IndexedPupil[] }> = [];
    // A word beside a word of the same pupil's name may carry a typo in any case ("dylan fitzpatrik").
    const matching = (x: { w: string; capital: boolean }, beside = false): Set<IndexedPupil> | undefined => {
      const exact = this.byToken.get(x.w);
      if (exact || !(x.capital || beside) || x.w.length < 4) return exact;
      const max = allowedTypos(x.w);
      const found = new Set<IndexedPupil>();
      for (const [t, ps] of this.byToken) if (distance(x.w, t, max) <= max) for (const p of ps) found.add(p);
      return found.size ? found : undefined;
    };
    const within = (a: Set<IndexedPupil>, b: Set<IndexedPupil>) => new Set([...a].filter((p) => b.has(p)));
    for (let i = 0; i < words.length;) {
      let set = matching(words[i]!);
      // A first word with a typo, before a word of the same pupil's name typed right.
      const after = !set && i + 1 < words.length ? this.byToken.get(words[i + 1]!.w) : undefined;
      const guess = after ? matching(words[i]!, true) : undefined;
      if (guess && after && within(guess, after).size) set = guess;
      let j = i;
      while (set && j + 1 < words.length && j - i < 3) {
        const next = matching(words[j + 1]!, true);
        if (!next) break;
        const both = within(set, next);
        if (!both.size) break;
        set = both;
        j++;
      }
      const first = words[i]!;
      const single = j === i;
      const sentenceStart = i === 0 || /[.!?]\s*$/.test(text.slice(words[i - 1]!.end, first.start));
      // A word English uses, alone and typed right, is that word: "Mash" is no typo of Marsh.
      const typo = !this.byToken.has(first.w);
      // Nor is a word one uses, installs or tries a pupil ("can I use Blooket with my class?"),
      // unless it is a pupil's name as typed: in a large register some name is a letter away.
      const used = typo && usedBefore(text, first.start);
      // (Read only for a single word in lower case: it walks the pupils of that name.)
      // Or one whose photo, work or place it is ("can i put oliver's picture in the newsletter",
      // "harrys photo"): a thing is a person's, however common the word of the name.
      const rareFirstName = () =>
        !typo &&
        !COMMON.has(first.w) &&
        (english.rank(first.w) >= RARE_NAME_RANK || first.owner) &&
        [...set!].some((p) => norm(p.first).split(/\s+/).includes(first.w)) &&
        (first.owner || !usedBefore(text, first.start));
      // A name after a title is an adult's ("Miss Clarke wants to film Zofia…"), however many pupils share it.
      const ok =
        set &&
        !words[i - 1]?.title &&
        (!single ||
          (!first.capital && rareFirstName()) ||
          (first.capital &&
            !(sentenceStart && COMMON.has(first.w)) &&
            !COMMON.has(first.w) &&
            !(typo && english.has(first.w)) &&
            !used));
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
