import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Parser } from 'htmlparser2';

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
      return buf.toString('utf8').replace(/^#{1,6}\s+/gm, '# ');
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
 * nested item on its own line, after its parent's own words), read with htmlparser2, which also
 * decodes entities.
 */
export function htmlToLines(html: string): string {
  const lines: string[] = [];
  const open: Array<{ tag: string; text: string }> = [];
  const flush = (block: { tag: string; text: string } | undefined) => {
    if (!block) return;
    const text = block.text.replace(/\s+/g, ' ').trim();
    block.text = '';
    if (!text) return;
    lines.push(/^h[1-6]$/.test(block.tag) ? `# ${text}` : block.tag === 'li' ? `- ${text}` : text, '');
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (!BLOCKS.test(name)) return;
        // A block inside another (a nested list inside an item): what the outer one said so far is a line of its own.
        flush(open[open.length - 1]);
        open.push({ tag: name, text: '' });
      },
      ontext(text) {
        const top = open[open.length - 1];
        if (top) top.text += text;
      },
      onclosetag(name) {
        if (BLOCKS.test(name)) flush(open.pop());
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return lines.join('\n');
}

const BLOCKS = /^(?:h[1-6]|p|li)$/;

async function docxText(buf: Buffer): Promise<string> {
  const mammoth = await import('mammoth');
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  return htmlToLines(html);
}

async function pdfText(buf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(buf),
    useSystemFonts: false,
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const out: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    // Group text runs into lines by their vertical position; a larger gap starts a new paragraph.
    let lastY: number | undefined;
    let line = '';
    let lastGap = 0;
    for (const item of content.items as Array<{ str: string; transform: number[]; height: number; hasEOL?: boolean }>) {
      if (!('str' in item)) continue;
      const y = item.transform[5]!;
      if (lastY !== undefined && Math.abs(y - lastY) > 1) {
        const gap = lastY - y;
        out.push(line.trim());
        if (lastGap && gap > lastGap * 1.4) out.push('');
        lastGap = lastGap ? Math.min(lastGap, gap) : gap;
        line = '';
      }
      line += item.str;
      lastY = y;
    }
    if (line.trim()) out.push(line.trim());
    out.push('');
    page.cleanup();
  }
  await doc.destroy();
  return out.join('\n');
}
