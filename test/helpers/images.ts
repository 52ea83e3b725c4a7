import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeImage, type EncodeOptions } from '../../electron/engine/imaging/imageCodec.js';
import type { RawImage } from '../../electron/engine/imaging/resample.js';

export type Rgb = readonly [number, number, number];

/** Base colours of the colour model's classes, and shades that must still count as them. */
export const COLOURS: Record<string, Rgb[]> = {
  red: [
    [220, 30, 30],
    [180, 20, 40],
    [255, 90, 80],
  ],
  green: [
    [30, 200, 40],
    [20, 140, 60],
    [110, 230, 100],
  ],
  blue: [
    [30, 40, 220],
    [20, 70, 170],
    [100, 120, 255],
  ],
  yellow: [
    [230, 220, 30],
    [250, 240, 90],
    [200, 190, 20],
  ],
};

/** A small deterministic PRNG (mulberry32), so generated images are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A "mostly `colour`" picture: the colour with per-pixel noise and a block of another, random colour covering
 * `clutter` of its area, like a subject on a background.
 */
export function colourPixels(
  colour: Rgb,
  width: number,
  height: number,
  seed: number,
  clutter = 0.2,
): RawImage {
  const next = random(seed);
  const data = new Uint8Array(width * height * 3);
  const other: Rgb = [next() * 255, next() * 255, next() * 255];
  const blockW = Math.round(width * Math.sqrt(clutter));
  const blockH = Math.round(height * Math.sqrt(clutter));
  const bx = Math.floor(next() * (width - blockW));
  const by = Math.floor(next() * (height - blockH));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBlock = x >= bx && x < bx + blockW && y >= by && y < by + blockH;
      const base = inBlock ? other : colour;
      for (let c = 0; c < 3; c++) {
        const value = base[c]! + (next() - 0.5) * 40;
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return { data, width, height, channels: 3 };
}

/** Writes a generated colour picture to `file` in the format its extension names. */
export async function writeColourImage(
  file: string,
  colour: Rgb,
  options: { width?: number; height?: number; seed?: number; clutter?: number } & Partial<EncodeOptions> = {},
): Promise<Buffer> {
  const { width = 96, height = 64, seed = 1, clutter, ...encode } = options;
  const ext = path.extname(file).slice(1).toLowerCase();
  const format = (encode.format ?? (ext === 'jpg' ? 'jpeg' : ext)) as EncodeOptions['format'];
  const bytes = await encodeImage(colourPixels(colour, width, height, seed, clutter), { ...encode, format });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return bytes;
}
