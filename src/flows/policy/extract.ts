import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import MarkdownIt from 'markdown-it';
import { isBullet, isItemMark, startsItem } from './sections';

/**
 * Turns a policy document into plain text lines, one paragraph or heading per line, with
 * headings the document marks as such (Markdown `#`, Word heading styles) prefixed by "# ".
 * Plain-text exports carry no marks: the sectioner finds their headings from the lines.
 */
export async function extractText(file: string): Promise<string> {
  const ext = path.extname(file).toLowerCase();
  if (!['.md', '.markdown', '.txt', '.docx', '.pdf'].includes(ext))
    throw new Error(`${path.basename(file)}: policy documents must be .docx, .pdf, .md or .txt`);
  const buf = await readFile(file);
  switch (ext) {
    case '.md':
    case '.markdown':
      return markdownText(buf.toString('utf8'));
    case '.txt':
      return buf.toString('utf8');
    case '.docx':
      return docxText(buf);
    case '.pdf':
      return pdfText(buf);
    default:
      throw new Error(`${path.basename(file)}: policy documents must be .docx, .pdf, .md or .txt`);
  }
}

/**
 * Mammoth's HTML as lines: a heading as "# …", a paragraph as itself, a list item as "- …" (a
 * nested item on its own line, after its parent's own words), a table's row as its cells' words
 * apart by tabs, as a plain-text export writes a table (a retention schedule: "CCTV footage" and
 * "30 days" stay on one line). Read with htmlparser2, which also decodes entities.
 */
export function htmlToLines(html: string): string {
  const lines: string[] = [];
  const open: Array<{ tag: string; text: string }> = [];
  // The row being read, and its cell's words: a cell's paragraphs are one cell.
  let row: string[] | undefined;
  let cell: string | undefined;
  const flush = (block: { tag: string; text: string } | undefined) => {
    if (!block) return;
    const text = block.text.replace(/\s+/g, ' ').trim();
    block.text = '';
    if (!text) return;
    // A list's items are lines one after another, as in a text export; a blank line ends the list.
    if (block.tag === 'li') lines.push(`- ${text}`);
    else lines.push(/^h[1-6]$/.test(block.tag) ? `# ${text}` : text, '');
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'tr') {
          flush(open[open.length - 1]);
          row = [];
        } else if ((name === 'td' || name === 'th') && row) cell = '';
        else if (cell !== undefined) {
          // A cell's paragraphs or items are words apart; a bold or italic run inside a word is not.
          if (BLOCKS.test(name)) cell += ' ';
        } else if (name === 'p' && open[open.length - 1]?.tag === 'li') {
          // An item's own paragraph (a list with blank lines between its items) is the item.
          open[open.length - 1]!.text += ' ';
        } else if (BLOCKS.test(name)) {
          // A block inside another (a nested list inside an item): what the outer one said so far is a line of its own.
          flush(open[open.length - 1]);
          open.push({ tag: name, text: '' });
        }
      },
      ontext(text) {
        if (cell !== undefined) cell += text;
        else {
          const top = open[open.length - 1];
          if (top) top.text += text;
        }
      },
      onclosetag(name) {
        if ((name === 'td' || name === 'th') && row && cell !== undefined) {
          row.push(cell.replace(/\s+/g, ' ').trim());
          cell = undefined;
        } else if (name === 'tr' && row) {
          if (row.some(Boolean)) lines.push(row.join('\t'));
          row = undefined;
        } else if (name === 'table') lines.push('');
        else if (cell === undefined && (name === 'ul' || name === 'ol')) {
          // The end of a list, unless it was nested in an item that goes on.
          if (open[open.length - 1]?.tag !== 'li') lines.push('');
        } else if (name === 'p' && open[open.length - 1]?.tag === 'li') open[open.length - 1]!.text += ' ';
        else if (cell === undefined && BLOCKS.test(name)) flush(open.pop());
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return lines.join('\n');
}

const BLOCKS = /^(?:h[1-6]|p|li)$/;

/**
 * Markdown read by markdown-it (CommonMark, with GitHub's pipe tables) into the lines a Word
 * document gives: a paragraph wrapped over several lines in the file is one paragraph ("…and email
 * the" / "Trust DPO straight afterwards"), a table's rows are its cells apart by tabs with no
 * "|---|" line, and "**bold**" or "*italic*" marks are gone.
 */
export function markdownText(source: string): string {
  return htmlToLines(new MarkdownIt().render(source));
}

async function docxText(buf: Buffer): Promise<string> {
  const mammoth = await import('mammoth');
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  return htmlToLines(html);
}

/** A line of a PDF page: its text, where it sits, and whether a larger gap than the page's line spacing came before it. */
interface PdfLine {
  text: string;
  left: number;
  right: number;
  /** Starts a paragraph: more space above it than between the lines of one. */
  opens: boolean;
}

/** A line as compared across pages: running headers and footers differ only in their numbers ("Page 3 of 12"). */
const furnitureKey = (text: string) => text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

/**
 * The text of a PDF, one paragraph to a line, a blank line between paragraphs. pdf.js gives text
 * runs with their positions: runs at one height make a line, and a gap larger than the page's
 * line spacing starts a paragraph. A line that runs to the right margin was wrapped there, and
 * the next one goes on with it ("…report it to the School Business" / "Manager, who…"): where
 * the next line's first word would have fitted, the line ended by itself. Running headers and
 * footers (a line at the top or bottom of most pages, numbers aside) are left out.
 */
async function pdfText(buf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(buf),
    useSystemFonts: false,
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pages: PdfLine[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    pages.push(pdfLines(content.items as PdfItem[]));
    page.cleanup();
  }
  await doc.destroy();
  // A line among the first or last two of a page that recurs so on at least half the pages (and two).
  const edges = (lines: PdfLine[]) => [...new Set([...lines.slice(0, 2), ...lines.slice(-2)])];
  const seen = new Map<string, number>();
  for (const lines of pages)
    for (const k of new Set(edges(lines).map((l) => furnitureKey(l.text)))) seen.set(k, (seen.get(k) ?? 0) + 1);
  const furniture = (l: PdfLine) => {
    const n = seen.get(furnitureKey(l.text)) ?? 0;
    return n >= 2 && n >= pages.length / 2;
  };
  const out: string[] = [];
  let last: PdfLine | undefined;
  let lastPageRight = 0;
  for (const all of pages) {
    const edge = new Set(edges(all));
    const lines = all.filter((l) => !(edge.has(l) && furniture(l)));
    if (!lines.length) continue; // a page of pictures only
    const right = Math.max(...lines.map((l) => l.right));
    for (const [i, l] of lines.entries()) {
      const from = out[out.length - 1];
      // Across a page break, a paragraph goes on from a line that ran to the margin without ending a
      // sentence, and a list from an item.
      const goesOn =
        last &&
        (i > 0 ? !l.opens : !/[.!?:;]$/.test(last.text)) &&
        wrapped(last, l, i > 0 ? right : lastPageRight) &&
        !startsItem(l.text) &&
        // A table's row is a line of its own (a cell's words that wrap go on under it: see splitSections).
        !`${last.text}${l.text}`.includes('\t');
      const listGoesOn = i === 0 && from !== undefined && isBullet(from) && isBullet(l.text);
      if (goesOn) out[out.length - 1] += ` ${l.text}`;
      else {
        if (last && (i > 0 ? l.opens : !listGoesOn)) out.push('');
        out.push(l.text);
      }
      last = l;
    }
    lastPageRight = right;
  }
  return out.join('\n');
}

interface PdfItem {
  str?: string;
  transform: number[];
  width: number;
}

/**
 * A page's text runs as lines, top to bottom (see `pdfText`). A line opens a paragraph when the
 * space above it is larger than the page's line spacing (the least gap between lines of at least
 * nine tenths of the body text's size: smaller ones are a line's raised or lowered parts), and a
 * line in larger type than the body's (a heading) stands apart from what is before and after it.
 */
function pdfLines(items: PdfItem[]): PdfLine[] {
  const rows: Array<{ text: string; left: number; right: number; y: number; size: number }> = [];
  const chars = new Map<number, number>();
  for (const item of items) {
    if (typeof item.str !== 'string' || !item.str) continue;
    const [a = 10, , , , x = 0, y = 0] = item.transform;
    const size = Math.round(Math.abs(a) * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + item.str.length);
    const cur = rows[rows.length - 1];
    if (cur && Math.abs(y - cur.y) <= 1) {
      // Runs apart on one line ("•", then the item's words) are words apart; far apart, after
      // more than a bullet, they are a table's cells, kept apart by a tab as a text export does.
      // (pdf.js may give the space between cells as a run of blanks as wide as the space.)
      const blank = !item.str.trim();
      const gap = blank ? item.width : x - cur.right;
      const apart = gap > size * 0.2 && !/\s$/.test(cur.text) && !/^\s/.test(item.str);
      const cells = gap > size * 1.5 && !isItemMark(cur.text);
      cur.text += cells ? `\t${blank ? '' : item.str}` : (apart ? ' ' : '') + item.str;
      cur.right = Math.max(cur.right, x + item.width);
      cur.size = Math.max(cur.size, size);
    } else rows.push({ text: item.str, left: x, right: x + item.width, y, size });
  }
  const body = [...chars].reduce((best, c) => (c[1] > best[1] ? c : best), [10, 0])[0];
  const lines = rows.filter((r) => r.text.trim());
  const gap = (i: number) => lines[i - 1]!.y - lines[i]!.y;
  const gaps = lines.map((_, i) => (i ? gap(i) : 0)).filter((g) => g >= body * 0.9);
  const spacing = gaps.length ? Math.min(...gaps) : 0;
  const large = (i: number) => lines[i]!.size > body * 1.1;
  return lines.map((r, i) => ({
    text: r.text
      .split('\t')
      .map((c) => c.replace(/\s+/g, ' ').trim())
      .join('\t'),
    left: r.left,
    right: r.right,
    opens: i > 0 && ((spacing > 0 && gap(i) > spacing * 1.3) || large(i) || large(i - 1)),
  }));
}

/** Whether a line was wrapped at the margin: the next line's first word would not have fitted after it. */
function wrapped(line: PdfLine, next: PdfLine, margin: number): boolean {
  const perChar = (next.right - next.left) / Math.max(1, next.text.length);
  const firstWord = next.text.split(' ')[0]!.length + 1;
  return line.right + perChar * firstWord > margin;
}
