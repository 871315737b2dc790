import { readFile } from 'node:fs/promises';
import path from 'node:path';

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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
const decode = (s: string) =>
  s.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITIES[e] ?? m),
  );

async function docxText(buf: Buffer): Promise<string> {
  const mammoth = await import('mammoth');
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  const lines: string[] = [];
  const re = /<(h[1-6]|p|li)[^>]*>([\s\S]*?)<\/\1>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const text = decode(m[2]!.replace(/<[^>]+>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    if (!text) continue;
    lines.push(m[1]!.startsWith('h') ? `# ${text}` : m[1] === 'li' ? `- ${text}` : text);
    lines.push('');
  }
  return lines.join('\n');
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
