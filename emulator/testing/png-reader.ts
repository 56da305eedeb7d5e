import { crc32, inflateSync } from "node:zlib";

export interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly palette: Buffer;
  readonly chunkTypes: readonly string[];
  /** Decompressed IDAT data: one filter byte plus packed pixels per row. */
  readonly scanlines: Buffer;
}

const SIGNATURE = "89504e470d0a1a0a";

/** A strict little PNG reader for tests: checks the signature, every CRC and the chunk order. */
export function readPng(bytes: Buffer): PngInfo {
  if (bytes.subarray(0, 8).toString("hex") !== SIGNATURE) throw new Error("not a PNG signature");
  const chunks: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== bytes.readUInt32BE(offset + 8 + length)) throw new Error("bad chunk CRC");
    chunks.push({ type: typeAndData.subarray(0, 4).toString("ascii"), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  const header = chunks[0];
  if (header?.type !== "IHDR" || chunks.at(-1)?.type !== "IEND") throw new Error("IHDR must come first and IEND last");
  return {
    width: header.data.readUInt32BE(0),
    height: header.data.readUInt32BE(4),
    bitDepth: header.data.readUInt8(8),
    colourType: header.data.readUInt8(9),
    palette: chunks.find((chunk) => chunk.type === "PLTE")?.data ?? Buffer.alloc(0),
    chunkTypes: chunks.map((chunk) => chunk.type),
    scanlines: inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === "IDAT").map((chunk) => chunk.data))),
  };
}
