import { zip } from '../../src/zip';

/**
 * A small Word document: headings use the built-in "heading 1" style, as Word writes them; list
 * items are bulleted paragraphs at a level (0, or 1 for an item nested under the one before); a
 * table is rows of cells, each cell one paragraph.
 */
export function makeDocx(
  blocks: Array<{ heading?: string; text?: string; item?: string; level?: number; table?: string[][] }>,
): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cell = (t: string) => `<w:tc><w:p><w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r></w:p></w:tc>`;
  const body = blocks
    .map((b) =>
      b.table
        ? `<w:tbl>${b.table.map((row) => `<w:tr>${row.map(cell).join('')}</w:tr>`).join('')}</w:tbl>`
        : b.heading
          ? `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>${esc(b.heading)}</w:t></w:r></w:p>`
          : b.item !== undefined
            ? `<w:p><w:pPr><w:numPr><w:ilvl w:val="${b.level ?? 0}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">${esc(b.item)}</w:t></w:r></w:p>`
            : `<w:p><w:r><w:t xml:space="preserve">${esc(b.text ?? '')}</w:t></w:r></w:p>`,
    )
    .join('');
  const lvl = (i: number) =>
    `<w:lvl w:ilvl="${i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>`;
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  return zip([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`,
    },
    {
      name: 'word/styles.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`,
    },
    {
      name: 'word/numbering.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="0">${lvl(0)}${lvl(1)}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
    },
  ]);
}

/**
 * A line of a PDF page: its text, or its runs set apart on the line (a bullet, then the item's
 * words, as Word writes them), in a type size (11 unless given), or a table's row of cells.
 */
export type PdfLine = string | { runs: string[]; size?: number } | { text: string; size: number } | { cells: string[] };

/** A one-page PDF in Helvetica, one line of text per entry ("" leaves a gap). */
export function makePdf(lines: string[]): Buffer {
  return makePdfPages([lines]);
}

/** A PDF of A4 pages in Helvetica, one line per entry ("" leaves a gap), each line 14 points below the last. */
export function makePdfPages(pages: PdfLine[][]): Buffer {
  // WinAnsi writes a bullet as byte 225 (octal).
  const esc = (s: string) =>
    s.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)').replace(/•/g, '\\225');
  const contents = pages.map((lines) => {
    const ops: string[] = [];
    let y = 780;
    for (const l of lines) {
      if (l === '') {
        y -= 14;
        continue;
      }
      const runs = typeof l === 'string' ? [l] : 'runs' in l ? l.runs : 'cells' in l ? l.cells : [l.text];
      const size = typeof l === 'string' || 'cells' in l ? 11 : (l.size ?? 11);
      // Each run 18 points further right than the last (a bullet's hanging indent); a table's cells 200 apart.
      const step = typeof l !== 'string' && 'cells' in l ? 200 : 18;
      runs.forEach((r, i) => ops.push(`BT /F1 ${size} Tf ${56 + i * step} ${y} Td (${esc(r)}) Tj ET`));
      y -= 14;
    }
    return ops.join('\n');
  });
  const n = pages.length;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ')}] /Count ${n} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...contents.flatMap((c, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
      `<< /Length ${Buffer.byteLength(c, 'latin1')} >>\nstream\n${c}\nendstream`,
    ]),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
