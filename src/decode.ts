/**
 * Text from a file someone sent, in whatever encoding their software saved it: UTF-16 when it says
 * so (Excel's "Unicode text"), UTF-8 when the bytes are valid UTF-8, and otherwise Windows-1252,
 * which is what Excel on a UK Windows PC writes for "CSV" (a name like "Zoë" or "Siobhán").
 */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('windows-1252').decode(buf);
  }
}
