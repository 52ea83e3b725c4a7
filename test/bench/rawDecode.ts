/**
 * RAW against JPEG: the same 12 MP photos wrapped as DNGs whose SubIFD holds the photo as its preview (beside a
 * thumbnail and sensor data), decoded for the model one at a time in this process. Beside it, what finding the
 * preview costs with ClipSort's own parser and with one `exiftool -b -PreviewImage` per file (what a wrapper such
 * as exiftool-vendored would do per file, less its process reuse): the case for parsing the containers ourselves.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeForModel, encodeImage } from '../../electron/engine/imaging/imageCodec.js';
import type { PreprocessSpec } from '../../electron/engine/imaging/preprocessConfig.js';
import { rawPreview } from '../../electron/engine/imaging/rawPreview.js';
import { colourPixels } from '../helpers/images.js';
import { rawFile } from '../helpers/raw.js';

const FILES = 4;
const EXIFTOOL = 'exiftool';
const hasExiftool = spawnSync(EXIFTOOL, ['-ver'], { stdio: 'ignore' }).error === undefined;

/** Decodes for the model per second, over `files` decoded in turn (after one warm-up). */
async function rate(files: readonly Buffer[], spec: PreprocessSpec, extension: string): Promise<number> {
  await decodeForModel(files[0]!, spec, `warm-up${extension}`);
  const started = performance.now();
  for (const [i, bytes] of files.entries()) await decodeForModel(bytes, spec, `photo-${i}${extension}`);
  return files.length / ((performance.now() - started) / 1000);
}

/** Milliseconds per call of `work` over `count` calls. */
function msPer(count: number, work: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) work(i);
  return (performance.now() - started) / count;
}

/** Milliseconds per file to take the preview out with one exiftool process per file, checking what it gave. */
function exiftoolMs(files: readonly string[], previewLengths: readonly number[]): number {
  return msPer(files.length, (i) => {
    const run = spawnSync(EXIFTOOL, ['-b', '-PreviewImage', files[i]!], { maxBuffer: 1 << 28 });
    if (run.stdout.length !== previewLengths[i]) throw new Error(`exiftool gave no preview of ${files[i]}`);
  });
}

/** Rows for the benchmark table. */
export async function benchRawDecode(
  photoDir: string,
  photos: readonly string[],
  cacheDir: string,
  spec: PreprocessSpec,
): Promise<[string, string][]> {
  const dir = path.join(cacheDir, 'photos-12mp-dng');
  await mkdir(dir, { recursive: true });
  const names = photos.slice(0, FILES);
  const jpeg = await Promise.all(names.map((name) => readFile(path.join(photoDir, name))));
  const thumbnail = await encodeImage(colourPixels([120, 110, 100], 160, 120, 1), { format: 'jpeg' });
  // Cheap to make (the photo is copied in), so made afresh rather than kept.
  const dng = jpeg.map((preview) => rawFile('dng', { thumbnail, preview, orientation: 1 }));
  const files = names.map((name) => path.join(dir, name.replace(/\.jpg$/, '.dng')));
  await Promise.all(files.map((file, i) => writeFile(file, dng[i]!)));

  const [jpegRate, dngRate] = [await rate(jpeg, spec, '.jpg'), await rate(dng, spec, '.dng')];
  const ownMs = msPer(100 * FILES, (i) => rawPreview(dng[i % FILES]!, 'photo.dng'));
  const fmt = (x: number, digits = 1) => x.toFixed(digits);
  const rows: [string, string][] = [
    [
      'decode + preprocess, the same photos as DNG (12 MP preview)',
      `${fmt(dngRate)} images/s = ${fmt(dngRate / jpegRate, 2)} × JPEG (${fmt(jpegRate)} images/s)`,
    ],
    ['RAW preview found by ClipSort’s parser (in process)', `${fmt(ownMs * 1000, 0)} µs per file`],
  ];
  if (!hasExiftool) {
    rows.push(['RAW preview by `exiftool -b -PreviewImage`', 'skipped: exiftool is not installed']);
    return rows;
  }
  exiftoolMs(files.slice(0, 1), [jpeg[0]!.length]);
  const toolMs = exiftoolMs(
    files,
    jpeg.map((bytes) => bytes.length),
  );
  rows.push([
    'RAW preview by `exiftool -b -PreviewImage`, one process per file',
    `${fmt(toolMs)} ms per file = ${fmt(toolMs / ownMs, 0)} × ClipSort’s parser`,
  ]);
  return rows;
}
