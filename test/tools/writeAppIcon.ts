/**
 * Draws the app icon, `build/icon.png` (512×512, what electron-builder turns into each platform's icon): a rounded
 * square in a blue-to-teal gradient with three bars of falling length, photos sorted into piles.
 * Run with `npx tsx test/tools/writeAppIcon.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeImage } from '../../electron/engine/imaging/imageCodec.js';

const SIZE = 512;
const RADIUS = 96;
const MARGIN = 16;

/** Coverage (0–1) of pixel (x, y) by a rounded rectangle, with a one-pixel soft edge. */
function roundedRect(
  x: number,
  y: number,
  left: number,
  top: number,
  right: number,
  bottom: number,
  r: number,
) {
  const dx = Math.max(left + r - x, 0, x - (right - r));
  const dy = Math.max(top + r - y, 0, y - (bottom - r));
  const distance = Math.hypot(dx, dy) - r;
  return Math.min(1, Math.max(0, 0.5 - distance));
}

const BARS = [
  { top: 136, width: 300 },
  { top: 232, width: 220 },
  { top: 328, width: 140 },
];

const data = new Uint8Array(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const t = (x + y) / (2 * SIZE);
    const background = [Math.round(40 + 10 * t), Math.round(90 + 100 * t), Math.round(200 - 40 * t)];
    const edge = SIZE - MARGIN;
    const alpha = roundedRect(x + 0.5, y + 0.5, MARGIN, MARGIN, edge, edge, RADIUS);
    let white = 0;
    for (const bar of BARS) {
      white = Math.max(white, roundedRect(x + 0.5, y + 0.5, 106, bar.top, 106 + bar.width, bar.top + 48, 24));
    }
    const i = (y * SIZE + x) * 4;
    for (let c = 0; c < 3; c++) data[i + c] = Math.round(background[c]! * (1 - white) + 255 * white);
    data[i + 3] = Math.round(255 * alpha);
  }
}

const file = path.resolve(import.meta.dirname, '../../build/icon.png');
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, await encodeImage({ data, width: SIZE, height: SIZE, channels: 4 }, { format: 'png' }));
console.log(`Wrote ${file}`);
