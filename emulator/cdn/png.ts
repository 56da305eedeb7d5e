import { crc32, deflateSync } from "node:zlib";

export type Rgb = readonly [red: number, green: number, blue: number];

/** A two-colour image: row(y) packs one bit per pixel, most significant first; 1 = foreground. */
export interface Bitmap {
  readonly size: number;
  row(y: number): Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * Encodes a square 1-bit indexed-colour PNG. One bit per pixel keeps even
 * 4096x4096 images cheap to build and compress.
 * https://www.w3.org/TR/png-3/
 */
export function encodePng(bitmap: Bitmap, background: Rgb, foreground: Rgb): Buffer {
  const { size } = bitmap;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(1, 8); // bit depth
  header.writeUInt8(3, 9); // colour type: indexed
  // compression, filter and interlace methods stay 0

  const stride = Math.ceil(size / 8);
  const scanlines = Buffer.alloc(size * (stride + 1)); // each line: filter type 0, then pixels
  for (let y = 0; y < size; y += 1) bitmap.row(y).copy(scanlines, y * (stride + 1) + 1);

  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("PLTE", Buffer.from([...background, ...foreground])),
    chunk("IDAT", deflateSync(scanlines)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Sets pixels [from, to) of a packed 1-bit row. */
export function fillSpan(row: Buffer, from: number, to: number): void {
  for (let x = Math.max(0, from); x < to; x += 1) {
    row[x >> 3]! |= 0x80 >> (x & 7);
  }
}
