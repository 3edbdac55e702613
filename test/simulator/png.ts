/**
 * A tiny PNG encoder (RGB, stored/uncompressed deflate blocks) so demo photos and
 * inline images need neither files nor dependencies.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + buf[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** zlib stream made of stored blocks: valid for every inflater, no compression needed. */
function zlibStored(raw: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  const MAX = 65535;
  for (let off = 0; off < raw.length || off === 0; off += MAX) {
    const slice = raw.subarray(off, Math.min(off + MAX, raw.length));
    const last = off + MAX >= raw.length ? 1 : 0;
    const hdr = Buffer.alloc(5);
    hdr[0] = last;
    hdr.writeUInt16LE(slice.length, 1);
    hdr.writeUInt16LE(~slice.length & 0xffff, 3);
    parts.push(hdr, slice);
    if (raw.length === 0) break;
  }
  const ad = Buffer.alloc(4);
  ad.writeUInt32BE(adler32(raw));
  parts.push(ad);
  return Buffer.concat(parts);
}

export type Rgb = [number, number, number];

export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let p = 0;
  for (let y = 0; y < height; y++) {
    raw[p++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[p++] = r;
      raw[p++] = g;
      raw[p++] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlibStored(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A round-ish avatar: coloured disc with a lighter "head and shoulders" shape. */
export function avatarPng(color: Rgb, size = 48): Buffer {
  const light: Rgb = [Math.min(255, color[0] + 90), Math.min(255, color[1] + 90), Math.min(255, color[2] + 90)];
  const c = size / 2;
  return encodePng(size, size, (x, y) => {
    const head = (x - c) ** 2 + (y - size * 0.38) ** 2 < (size * 0.17) ** 2;
    const body = (x - c) ** 2 + (y - size * 0.95) ** 2 < (size * 0.36) ** 2;
    return head || body ? light : color;
  });
}

/** A small "screenshot": title bar, a few text lines, one highlighted row. */
export function screenshotPng(accent: Rgb, width = 96, height = 64, highlightRow = 3): Buffer {
  return encodePng(width, height, (x, y) => {
    if (y < 8) return accent;
    const row = Math.floor((y - 10) / 8);
    const inLine = (y - 10) % 8 < 3 && x > 6 && x < width - 10 - ((row * 13) % 30);
    if (row === highlightRow && (y - 10) % 8 < 6) return [255, 236, 179];
    if (inLine) return [120, 120, 120];
    return [248, 248, 248];
  });
}
