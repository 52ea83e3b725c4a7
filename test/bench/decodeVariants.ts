/**
 * What bounds D, the decoding rate: the same 12 MP JPEGs decoded for the model with sharp's fast shrink-on-load
 * (what ClipSort does: the JPEG decoder scales by as much as 1/8 before the cubic reduction) and its
 * conservative one (a smaller factor, for less moiré), with how far apart their pixels come out, and with
 * libvips given one or two threads per image while one, two, four or eight images are in flight. Ratios within
 * one run are what to read.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeForModel } from '../../electron/engine/imaging/imageCodec.js';
import { centreCropBox, resizedSize } from '../../electron/engine/imaging/geometry.js';
import type { PreprocessSpec } from '../../electron/engine/imaging/preprocessConfig.js';

const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** Images per second over `files`, `inFlight` at a time. */
async function rate(files: readonly Buffer[], inFlight: number, decode: (bytes: Buffer) => Promise<unknown>) {
  await decode(files[0]!);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < files.length) await decode(files[next++]!);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return files.length / ((performance.now() - started) / 1000);
}

/** The model's crop through libvips as `decodeForModel` shrinks, with shrink-on-load as asked. */
async function cropped(bytes: Buffer, spec: PreprocessSpec, fastShrinkOnLoad: boolean): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  const target = resizedSize({ width: meta.width, height: meta.height }, spec.resize);
  return sharp(bytes)
    .resize(target.width, target.height, { fit: 'fill', kernel: 'cubic', fastShrinkOnLoad })
    .extract(centreCropBox(target, spec.crop ?? target))
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** Rows for the benchmark table. */
export async function benchDecodeVariants(
  photoDir: string,
  photos: readonly string[],
  spec: PreprocessSpec,
): Promise<[string, string][]> {
  const files = await Promise.all(photos.map((name) => readFile(path.join(photoDir, name))));
  const rows: [string, string][] = [];
  const threads = sharp.concurrency();
  try {
    const withShrink = await rate(files, 4, (bytes) => cropped(bytes, spec, true));
    const without = await rate(files, 4, (bytes) => cropped(bytes, spec, false));
    let total = 0;
    let count = 0;
    for (const bytes of files.slice(0, 8)) {
      const [a, b] = await Promise.all([cropped(bytes, spec, true), cropped(bytes, spec, false)]);
      for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
      count += a.length;
    }
    rows.push([
      'D variants: fast (kept) / conservative shrink-on-load, 4 in flight',
      `${fmt(withShrink)} / ${fmt(without)} images/s (${fmt(withShrink / without, 2)} ×); ` +
        `mean pixel difference ${fmt(total / count, 2)} of 255`,
    ]);
    for (const perImage of [1, 2]) {
      sharp.concurrency(perImage);
      const rates: string[] = [];
      for (const inFlight of [1, 2, 4, 8]) {
        rates.push(fmt(await rate(files, inFlight, (bytes) => decodeForModel(bytes, spec, 'photo'))));
      }
      rows.push([
        `D variants: libvips ${perImage} thread${perImage > 1 ? 's' : ''} per image, 1/2/4/8 in flight`,
        `${rates.join(' / ')} images/s`,
      ]);
    }
  } finally {
    sharp.concurrency(threads);
  }
  return rows;
}
