import { zipSync } from 'fflate';

/** A fixed time for every entry, so the same files always give the same archive. */
const EPOCH = new Date('1980-01-01T00:00:00Z');

/** Writes a zip archive of the given files (deflated) with fflate: the Teams app package, and the tests' .docx files. */
export function zip(files: Array<{ name: string; data: Buffer | string }>): Buffer {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  for (const f of files) {
    entries[f.name] = [typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data, { mtime: EPOCH, level: 9 }];
  }
  return Buffer.from(zipSync(entries));
}
