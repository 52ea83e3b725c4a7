/**
 * HEIC against JPEG: the same 12 MP photos, encoded as HEIC by libheif's encoder once (kept in the cache), decoded
 * for the model one at a time in this process. HEIC goes through libheif as WebAssembly, so the ratio is what an
 * iPhone library costs against a camera's JPEGs.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { decodeForModel } from '../../electron/engine/imaging/imageCodec.js';
import type { PreprocessSpec } from '../../electron/engine/imaging/preprocessConfig.js';
import { hasHeifEnc, writeHeic } from '../helpers/heic.js';

const FILES = 4;

/** Decodes for the model per second, over `files` decoded in turn (after one warm-up). */
async function rate(files: readonly Buffer[], spec: PreprocessSpec): Promise<number> {
  await decodeForModel(files[0]!, spec, 'warm-up');
  const started = performance.now();
  for (const [i, bytes] of files.entries()) await decodeForModel(bytes, spec, `photo-${i}`);
  return files.length / ((performance.now() - started) / 1000);
}

/** Rows for the benchmark table, or one that says why there are none. */
export async function benchHeicDecode(
  photoDir: string,
  photos: readonly string[],
  cacheDir: string,
  spec: PreprocessSpec,
): Promise<[string, string][]> {
  if (!hasHeifEnc) return [['HEIC decode', 'skipped: no heif-enc (libheif-examples) to make the files']];
  const dir = path.join(cacheDir, 'photos-12mp-heic');
  await mkdir(dir, { recursive: true });
  const names = photos.slice(0, FILES);
  const heic: Buffer[] = [];
  for (const name of names) {
    const target = path.join(dir, name.replace(/\.jpg$/, '.heic'));
    if (!existsSync(target)) {
      await writeHeic(path.join(photoDir, name), `${target}.tmp.heic`);
      await rename(`${target}.tmp.heic`, target);
    }
    heic.push(await readFile(target));
  }
  const jpeg = await Promise.all(names.map((name) => readFile(path.join(photoDir, name))));
  const [jpegRate, heicRate] = [await rate(jpeg, spec), await rate(heic, spec)];
  const fmt = (x: number) => x.toFixed(1);
  return [
    ['decode + preprocess, 12 MP JPEG, one at a time', `${fmt(jpegRate)} images/s`],
    [
      'decode + preprocess, the same photos as HEIC',
      `${fmt(heicRate)} images/s = ${(heicRate / jpegRate).toFixed(2)} × JPEG`,
    ],
  ];
}
