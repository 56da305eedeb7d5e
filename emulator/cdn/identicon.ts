import { type Bitmap, type Rgb, encodePng, fillSpan } from "./png";

const GRID = 5;
const BACKGROUND: Rgb = [240, 241, 242];

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    return Math.round(255 * (lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/**
 * A GitHub-style identicon for an image hash: a mirrored 5x5 pattern in a
 * colour taken from the hash, so each avatar or icon hash always draws the
 * same, recognisably different picture.
 */
export function identiconPng(hash: string, size: number): Buffer {
  const nibbles = [...hash].map((character) => parseInt(character, 16));
  const filled = (column: number, line: number) => nibbles[line * 3 + Math.min(column, GRID - 1 - column)]! % 2 === 0;
  const cell = Math.max(1, Math.floor((size * 0.8) / GRID));
  const margin = Math.floor((size - cell * GRID) / 2);

  const rows = Array.from({ length: GRID }, (_, line) => {
    const row = Buffer.alloc(Math.ceil(size / 8));
    for (let column = 0; column < GRID; column += 1) {
      if (filled(column, line)) fillSpan(row, margin + column * cell, margin + (column + 1) * cell);
    }
    return row;
  });
  const blank = Buffer.alloc(Math.ceil(size / 8));
  const bitmap: Bitmap = {
    size,
    row: (y) => rows[Math.floor((y - margin) / cell)] ?? blank,
  };
  const hue = parseInt(hash.slice(-6, -3), 16) % 360;
  return encodePng(bitmap, BACKGROUND, hslToRgb(hue, 0.55, 0.5));
}
