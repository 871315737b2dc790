import { badInput } from '../errors';
import { decodeText } from '../decode';

/** A file Teams offers in a personal chat: an attachment of this type with a pre-authorised download URL. */
export const FILE_DOWNLOAD = 'application/vnd.microsoft.teams.file.download.info';
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Fetches a file Teams offers (a pre-authorised download URL), refusing anything over 10 MB. */
export async function download(url: string | undefined): Promise<string> {
  if (!url || !/^https?:\/\//.test(url)) throw badInput('That file could not be downloaded. Please send it again.');
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw badInput('That file could not be downloaded. Please send it again.');
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_FILE_BYTES) throw badInput('That file is larger than 10 MB.');
  return decodeText(buf);
}
