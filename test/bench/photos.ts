import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeImage } from '../../electron/engine/imaging/imageCodec.js';
import { random } from '../helpers/images.js';

/**
 * Photo-like JPEGs for benchmarks: smooth colour fields with soft shapes and sensor-like noise, so that their
 * file sizes and decode costs resemble camera photos rather than flat colours or pure noise.
 */
async function photo(width: number, height: number, seed: number): Promise<Buffer> {
  const next = random(seed);
  const data = new Uint8Array(width * height * 3);
  const waves = Array.from({ length: 3 }, () => [
    next() * 6 + 1,
    next() * 6 + 1,
    next() * 6.28,
    next() * 120 + 60,
  ]);
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const [fu, fv, phase, amplitude] = waves[c]!;
        const value =
          128 + amplitude! * Math.sin(fu! * u * 6.28 + fv! * v * 3.14 + phase!) + (next() - 0.5) * 16;
        data[i + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  return encodeImage({ data, width, height, channels: 3 }, { format: 'jpeg', quality: 90 });
}

/** `count` 4000×3000 (12 MP) JPEGs in `dir`, made once and kept. Returns their file names. */
export async function benchPhotos(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `photo-${String(i).padStart(3, '0')}.jpg`);
    if (existsSync(file)) continue;
    await writeFile(`${file}.tmp`, await photo(4000, 3000, 1000 + i));
    await rename(`${file}.tmp`, file);
  }
  return (await readdir(dir))
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .slice(0, count);
}
