/** A part of a policy under one heading, as paragraphs (a lead-in and its bullet list stay together). */
export interface Section {
  title: string;
  paragraphs: string[];
}

/** A cross before an item: what is not to be done, which the item's own words may not say ("✘ Personal USB sticks"). */
const CROSSES = '✘✗✕❌';
/**
 * A list item's mark: a bullet, a tick or a cross, an arrow, a letter or number in brackets. Word's
 * bullets come out of a PDF as the Symbol and Wingdings fonts' own characters (U+F0B7, U+F0A7,
 * U+F0D8, U+F076, U+F0FC), which no other text uses.
 */
const MARK = String.raw`[-•*▪◦·o●■□➢►✓✔✅☑→➔➜⇒${CROSSES}\uF0B7\uF0A7\uF0D8\uF076\uF0FC]|\(?[a-z0-9]{1,3}[).]`;
const BULLET = new RegExp(String.raw`^\s*(?:${MARK})\s+`, 'i');
/**
 * A clause's number: "3.2", "3.", "3.2.1."; or one under a part's letter, as a policy arranged in
 * lettered parts numbers them ("A2.", "B3.1"), with its point (a list's item is "a." or "(b)").
 */
export const LETTERED = String.raw`[A-Z]\d{1,2}(?:\.\d+)+\.?|[A-Z]\d{1,2}\.`;
const CLAUSE = String.raw`\d+(?:\.\d+)+\.?|\d+\.|${LETTERED}`;
const CLAUSE_START = new RegExp(String.raw`^(?:${CLAUSE})\s|^(?:section|part|appendix)\s+\d`, 'i');
const ITEM_MARK = new RegExp(String.raw`^(?:${MARK}|${CLAUSE})$`, 'i');
const PAGE_FURNITURE = /^(?:page\s*)?\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?$/i;
const DOT_LEADER = /\s*(?:\.{3,}|…+|\s{2,}|\t+)\s*\d{1,3}\s*$/;
const NUMBERED = new RegExp(
  String.raw`^(?:(?:section|part|appendix)\s+\d+[a-z]?\b|\d+(?:\.\d+)*\.?\s|(?:${LETTERED})\s)`,
  'i',
);
/**
 * A heading that numbers its part under a label of the document's own, then names it: "Situation 2:
 * A parent asks for a copy of a photograph", "Scenario 4 - a lost laptop", "Case study 1: …".
 */
const LABELLED = /^[A-Z][a-z]+(?: [a-z]+)? (?:\d{1,2}|[A-Z])\s*[:.–—-]\s+/;

/** Whether a line is a list's item by its mark ("• …", "(b) …"), not a numbered clause. */
export function isBullet(line: string): boolean {
  return BULLET.test(line) && !NUMBERED.test(line.trim());
}

/** Whether a line starts a list item or a numbered clause ("• …", "(b) …", "3.2 …"), never the rest of a sentence. */
export function startsItem(line: string): boolean {
  return BULLET.test(line) || CLAUSE_START.test(line.trim());
}

/** Whether a word is only an item's mark or a clause's number ("•", "(b)", "3.2"): what a list item or clause starts with. */
export function isItemMark(word: string): boolean {
  return ITEM_MARK.test(word.trim());
}

/** Whether a line numbered as a part ("3.", "A2.") comes before the first clause numbered under it ("3.1", "A2.1"). */
function opensClauses(line: string, next: string | undefined): boolean {
  const own = /^([A-Z]?\d{1,2})\.\s/i.exec(line)?.[1];
  return Boolean(own && next?.toLowerCase().startsWith(`${own.toLowerCase()}.1 `));
}

/** The short words a title leaves in lower case ("Use of Email and the Internet"). */
const SMALL = /^(?:a|an|and|as|at|by|for|in|of|on|or|the|to|with|&)$/;

/** Whether a line on its own reads like a heading: short, title-like, not a sentence. */
export function looksLikeHeading(line: string, next: string | undefined): boolean {
  const t = line.trim();
  if (!t || t.length > 80 || isBullet(t) || line.includes('\t')) return false;
  if (!/[A-Za-z]/.test(t)) return false;
  const words = t.split(/\s+/);
  if (t.endsWith(':')) {
    // "Passwords:" is a heading; "Examples include:" before a list is a lead-in.
    return words.length <= 5 && !(next && isBullet(next)) && /^[A-Z0-9]/.test(t);
  }
  // A question standing on its own line is the heading of the answer under it, as in a policy
  // written as questions and answers ("Can I use a memory stick?").
  if (t.endsWith('?')) return words.length <= 14 && /^[A-Z]/.test(t) && !/[.!;]\s/.test(t);
  // A heading may end in what it stands for in brackets, when what comes before is written as a
  // heading is, in capitals or with each word's first ("SUBJECT ACCESS (SAR / info requests)").
  const bare = t.replace(/\s+\([^()]*\)$/, '');
  const titled = bare !== t && /[A-Z]/.test(bare) && bare.split(/\s+/).every((w) => !/^[a-z]/.test(w) || SMALL.test(w));
  if (/[.;,!?"”)]$/.test(titled ? bare : t) && !/^(?:section|part|appendix)\b/i.test(t)) return false;
  // A numbered heading names its part in capitals ("3. Passwords"); a numbered item of a sentence
  // goes on in lower case ("3. is kept no longer than is necessary").
  if (NUMBERED.test(t)) return words.length <= 14 && !/^[a-z]/.test(t.replace(NUMBERED, ''));
  // Labelled so, it may name its part in a clause ("Situation 7: You would like to use your own
  // phone or tablet for school email"), as a numbered one may.
  if (LABELLED.test(t)) return words.length <= 16;
  if (words.length > 10) return false;
  return /^[A-Z]/.test(t);
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Splits extracted text into sections. Marked headings ("# ") are always headings; in a plain-text
 * export, a short title-like line standing on its own is one, as is a numbered line or a short
 * line ending in a colon. Tables of contents, page numbers and lines repeated on every page are
 * left out: a heading with nothing under it (as in a contents list) makes no section.
 */
export function splitSections(text: string, fallbackTitle: string): Section[] {
  const raw = text
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  // Running headers and footers: short lines repeated three or more times. Not a table's header
  // row, which a document with several tables of one kind repeats over each ("Do | Don't").
  const counts = new Map<string, number>();
  for (const l of raw) if (l.trim() && l.trim().length < 60) counts.set(norm(l), (counts.get(norm(l)) ?? 0) + 1);
  const headsTable = (i: number) => raw[i]!.includes('\t') && Boolean(raw[i + 1]?.includes('\t'));
  const lines = raw.map((l, i) => {
    const t = l.trim();
    if (PAGE_FURNITURE.test(t)) return '';
    if (t.length < 60 && (counts.get(norm(t)) ?? 0) >= 3 && !isBullet(t) && !headsTable(i)) return '';
    return l.replace(DOT_LEADER, '');
  });

  const width = wrapWidth(lines);
  const sections: Section[] = [];
  let cur: Section = { title: fallbackTitle, paragraphs: [] };
  let para: string[] = [];
  const endPara = () => {
    if (para.length) cur.paragraphs.push(para.join('\n'));
    para = [];
  };
  const startSection = (title: string) => {
    endPara();
    if (cur.paragraphs.length) sections.push(cur);
    cur = { title: title.replace(/:$/, '').trim(), paragraphs: [] };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (!t) {
      // A blank line ends a paragraph, unless a lead-in ending in a colon waits for its list, or a table goes on.
      const last = para[para.length - 1];
      if (last?.startsWith('| ') && lines[i + 1]?.includes('\t')) continue;
      if (!(last && last.endsWith(':'))) endPara();
      continue;
    }
    if (t.startsWith('# ')) {
      startSection(t.slice(2));
      continue;
    }
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim()) j++;
    const next = lines[j]?.trim();
    // A heading follows a blank line, or, in a text with none between paragraphs, a finished
    // sentence, when it is a word or two before a sentence ("…backed up daily.\nHomeworking\nYou
    // should not take…").
    const prev = lines[i - 1]?.trim();
    // So does a numbered heading the next line's clause is numbered under ("A2. If something goes
    // wrong" before "A2.1 An incident is…"), however many words it has.
    const prevBlank =
      !prev ||
      (/[.!?]$/.test(prev) &&
        ((t.split(/\s+/).length <= 3 && (next?.length ?? 0) > 40 && /^[A-Z]/.test(next!)) || opensClauses(t, next)));
    const nextBlank = i + 1 >= lines.length || !lines[i + 1]!.trim();
    // (A list of labelled lines is no heading and its items: "Principal: Mrs Ruth Adeyemi" before
    // "Data Protection Lead: Mr…".)
    if (
      prevBlank &&
      (nextBlank || (next && !/^[a-z]/.test(next))) &&
      looksLikeHeading(t, next) &&
      !(OWN_LABEL.test(t) && !NUMBERED.test(t) && !LABELLED.test(t) && next && OWN_LABEL.test(next)) &&
      !(para.length && para[para.length - 1]!.endsWith(':'))
    ) {
      startSection(t);
      continue;
    }
    if (line.includes('\t')) {
      // A table row (tab-separated): rows stay together as one paragraph under the section.
      const row = t
        .split(/\t+/)
        .map((c) => c.trim())
        .filter(Boolean)
        .join(' | ');
      if (para.length && !para[para.length - 1]!.startsWith('| ')) endPara();
      if (!para.length) {
        // A table joins the paragraph that introduces it ("…as set out in the table below").
        const intro = cur.paragraphs[cur.paragraphs.length - 1];
        if (intro && (/\btable\b/i.test(intro) || intro.endsWith(':'))) para.push(cur.paragraphs.pop()!);
      }
      para.push(`| ${row}`);
      continue;
    }
    if (isBullet(t)) {
      // Every item is written with one bullet; a cross stays, as it says "don't".
      const cross = CROSSES.includes(t[0]!) ? `${t[0]} ` : '';
      para.push(`• ${cross}${t.replace(BULLET, '')}`);
      continue;
    }
    const last = para[para.length - 1];
    // In a text wrapped at a margin, a line that ends no sentence, and that the next one's first
    // word would not have fitted after, runs on into it, whatever its capital ("…on the Service" /
    // "Desk portal.", "…are kept for" / "30 days"), unless the next starts an item of its own
    // ("Consent register: kept by…"). So does one that comes near the margin, in a text wrapped by
    // hand, whose margin is rough. A line past the margin was never wrapped.
    const runsOn =
      width !== undefined &&
      Boolean(prev) &&
      prev!.length <= width &&
      !/[.!?:;]$/.test(prev!) &&
      (prev!.length + 1 + t.split(/\s/)[0]!.length > width || prev!.length >= width * FULL_LINE) &&
      !OWN_LABEL.test(t) &&
      !line.includes('\t');
    if (last && runsOn) {
      para[para.length - 1] = `${last} ${t}`;
    } else if (last && !last.startsWith('• ') && !/[.!?:]$/.test(last) && /^[a-z(]/.test(t)) {
      para[para.length - 1] = `${last} ${t}`; // a wrapped line (PDF)
    } else if (last && last.startsWith('• ') && /^[a-z]/.test(t) && !prevBlank) {
      para[para.length - 1] = `${last} ${t}`;
    } else if (last && ANSWER_LABEL.test(para[0]!) && !last.startsWith('• ') && !QUESTION_LABEL.test(t)) {
      // An answer labelled so ("A: …") runs on to a blank line or the next question, whatever its
      // lines end with: a policy written as questions and answers.
      para[para.length - 1] = `${last} ${t}`;
    } else {
      if (last && !last.endsWith(':') && !last.startsWith('• ')) endPara();
      // A list ends at a blank line, or at the next numbered clause ("3.3 Incidents must…").
      else if (last?.startsWith('• ') && (prevBlank || NUMBERED.test(t))) endPara();
      para.push(t);
    }
  }
  endPara();
  if (cur.paragraphs.length) sections.push(cur);
  // A title page (only short title-like lines, no sentence) is furniture, like a contents list.
  const titleOnly = (s: Section) =>
    s.paragraphs.every((p) => p.length < 60 && !/[.!?:;]/.test(p) && !p.startsWith('•') && !p.startsWith('|'));
  return sections.filter((s) => !/^(?:table of )?contents$/i.test(s.title) && !titleOnly(s));
}

/**
 * The margin a plain-text file was wrapped at (saved at 80 or 100 columns), when it was: all but a
 * few of its lines are short, and many lines come near it. Undefined for a text of one line per
 * paragraph, as Word, Markdown and most exports give. A few lines may run past the margin (an
 * address, a list of contacts, a line edited after the text was wrapped): the margin is the length
 * all but those keep within (`PAST_MARGIN`), not the longest line's.
 */
function wrapWidth(lines: string[]): number | undefined {
  const lengths = lines.map((l) => l.trim().length).filter((n) => n > 0);
  if (lengths.length < 3) return undefined;
  const sorted = [...lengths].sort((a, b) => a - b);
  const most = sorted[sorted.length - 1 - Math.max(1, Math.floor(sorted.length * PAST_MARGIN))]!;
  // The margin itself is the longest line not far past what most keep within.
  const width = Math.max(...lengths.filter((n) => n <= most * 1.05));
  if (width < 40 || width > 160) return undefined;
  const near = lengths.filter((n) => n >= width * 0.8 && n <= width).length;
  return near >= Math.max(3, lengths.length / 5) ? width : undefined;
}

/** The share of a wrapped text's lines that may run past its margin, one at least (see `wrapWidth`). */
const PAST_MARGIN = 0.03;
/** A line this near a wrapped text's margin (its share of it) was wrapped, when it ends no sentence. */
const FULL_LINE = 0.9;

/**
 * A question and its answer, labelled so in a policy written as questions and answers ("Q: …", "A: …",
 * "Answer – …"). ("A." and "Q)" are list marks: such a line is an item, see `isBullet`.)
 */
export const QUESTION_LABEL = /^Q(?:uestion)?\s*[:–-]\s/;
export const ANSWER_LABEL = /^A(?:nswer)?\s*[:–-]\s/;

/** A line that starts with its own short label: "Consent register: kept by the office". */
const OWN_LABEL = /^[A-Z][\w'’-]*(?: [\w'’-]+){0,4}: /;

/** A table's header cell: a few words, no figure, no sentence ("Do", "Don't", "How long"). */
const HEADER_CELL = /^[A-Za-z][A-Za-z'’ -]*$/;

/**
 * A passage's table rows as a phone shows them well: each cell on its own line after its column's
 * name ("Do: Keep a laptop out of sight…", "Don't: Leave a laptop in a car overnight."), the header
 * no line of its own. Without a header that looks like one (short names, no figures), or where a
 * row's cells do not match it, the rows stay as they are.
 */
export function labelledRows(text: string): string {
  const out: string[] = [];
  let header: string[] | undefined;
  let rows = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('| ')) {
      header = undefined;
      rows = 0;
      out.push(line);
      continue;
    }
    const cells = line.slice(2).split(' | ');
    if (!header) {
      const named = cells.length > 1 && cells.every((c) => HEADER_CELL.test(c) && c.split(/\s+/).length <= 3);
      if (named) {
        header = cells;
        rows = 0;
        continue;
      }
      out.push(line);
      continue;
    }
    // A blank line between rows, each now of several lines.
    if (cells.length === header.length)
      out.push(`${rows++ ? '\n' : ''}${cells.map((c, i) => `${header![i]}: ${c}`).join('\n')}`);
    else out.push(line);
  }
  return out.join('\n');
}
