import { type Bitmap, type Rgb, encodePng, fillSpan } from "./png";

/** Discord's default avatar colours: blurple, grey, green, yellow, red, pink. */
const COLOURS: readonly Rgb[] = [
  [0x58, 0x65, 0xf2],
  [0x75, 0x7e, 0x8a],
  [0x3b, 0xa5, 0x5c],
  [0xfa, 0xa6, 0x1a],
  [0xed, 0x42, 0x45],
  [0xeb, 0x45, 0x9f],
];

const WHITE: Rgb = [255, 255, 255];

/** A white disc on the index's colour: six distinct images, like Discord's defaults. */
export function defaultAvatarPng(index: number, size: number): Buffer {
  const colour = COLOURS[index];
  if (!colour) throw new RangeError(`default avatar index ${index} is out of range`);
  const centre = size / 2;
  const radius = size * 0.3;
  const bitmap: Bitmap = {
    size,
    row: (y) => {
      const row = Buffer.alloc(Math.ceil(size / 8));
      const dy = y + 0.5 - centre;
      if (Math.abs(dy) < radius) {
        const half = Math.sqrt(radius * radius - dy * dy);
        fillSpan(row, Math.round(centre - half), Math.round(centre + half));
      }
      return row;
    },
  };
  return encodePng(bitmap, colour, WHITE);
}
