import { crc32, deflateSync } from 'node:zlib';

/** Encodes RGBA pixels as a PNG. */
export function png(width: number, height: number, rgba: Uint8Array): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // no filter
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A small bar chart (one bar per value, 0–1), for cards: flat colours compress to a few hundred
 * bytes, so it can travel inside the card as a data URI.
 */
export function barChart(values: number[], width = 320, height = 96): Buffer {
  const px = new Uint8Array(width * height * 4).fill(255);
  const gap = 6;
  const bar = Math.floor((width - gap * (values.length + 1)) / Math.max(1, values.length));
  for (let x = 0; x < width; x++) px.set([0xd1, 0xd1, 0xd1, 255], ((height - 1) * width + x) * 4); // baseline
  values.forEach((v, i) => {
    const h = Math.round(Math.max(0, Math.min(1, v)) * (height - 4));
    const x0 = gap + i * (bar + gap);
    for (let y = height - 1 - h; y < height - 1; y++)
      for (let x = x0; x < x0 + bar; x++) px.set([0x1f, 0x6f, 0x5c, 255], (y * width + x) * 4);
  });
  return png(width, height, px);
}
