/**
 * Figures for opening a library of 100,000 images that are all embedded already, and rescanning it: the session
 * opening as the app and `clipsort serve` do it, the catch-up a model runs on it, and the embed path finding
 * nothing to do, split between listing the disk and checking the index. The library is generated once under
 * `.cache/bench/rescan-100k` (tiny real JPEGs, embeddings stored directly under the colour model's key) and
 * reused. `npm run bench` prints the figures; `tsx test/bench/rescan.ts` prints them alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { catchUpLibrary } from '../../electron/api/state/libraryCatchUp.js';
import { LibrarySession } from '../../electron/api/state/librarySession.js';
import { seededRandom } from '../../electron/engine/analysis/random.js';
import { embedFiles } from '../../electron/engine/embedding/embedFiles.js';
import { inputSize } from '../../electron/engine/imaging/preprocess.js';
import { libraryImageFiles } from '../../electron/engine/evaluate/libraryVectors.js';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { initLibrary } from '../../electron/engine/library/initLibrary.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { repoRoot } from '../helpers/sharedFixtures.js';

const FILES = 100_000;
const CLASSES = ['beach', 'cats', 'dogs', 'forest', 'food', 'people'];
const REFERENCES_PER_CLASS = 50;
/** Of the images that are neither references nor inbox, each class of `Dataset/` gets an equal share. */
const INBOX = 40_000;
/** The inbox is partly loose and partly in dated folders of this many images, as imports leave it. */
const INBOX_FOLDER = 2_000;
/** Bumped when the generated library changes, so that an older cache is made again. */
const LAYOUT_VERSION = 1;

const libraryDir = path.join(repoRoot, '.cache/bench/rescan-100k');
const completeMark = `${libraryDir}.complete.json`;

/** The library-relative paths of the generated library, in a fixed order. */
function libraryLayout(): string[] {
  const files: string[] = [];
  for (const name of CLASSES) {
    for (let i = 0; i < REFERENCES_PER_CLASS; i++) files.push(`Classes/${name}/ref-${i}.jpg`);
  }
  for (let i = 0; i < INBOX; i++) {
    const folder = i < INBOX / 4 ? 'Images' : `Images/import-${Math.floor(i / INBOX_FOLDER)}`;
    files.push(`${folder}/IMG_${String(i).padStart(5, '0')}.jpg`);
  }
  const sorted = FILES - files.length;
  for (let i = 0; i < sorted; i++) {
    files.push(`Dataset/${CLASSES[i % CLASSES.length]}/photo-${i}.jpg`);
  }
  return files;
}

/** A tiny JPEG made unique by a comment segment (COM) right after its start marker. */
function uniqueJpeg(base: Buffer, n: number): Buffer {
  const text = Buffer.from(`clipsort bench ${n}`);
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(2 + text.length, 2);
  text.copy(segment, 4);
  return Buffer.concat([base.subarray(0, 2), segment, base.subarray(2)]);
}

/** Runs `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, i: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Writes the library, its files and its index (every file embedded by the colour model), unless it is there. */
async function ensureLibrary(modelKey: string, dims: number): Promise<number | undefined> {
  const wanted = JSON.stringify({ files: FILES, version: LAYOUT_VERSION, model: modelKey });
  if (existsSync(completeMark) && readFileSync(completeMark, 'utf8') === wanted) return undefined;
  const started = performance.now();
  await rm(libraryDir, { recursive: true, force: true });
  await rm(completeMark, { force: true });
  await initLibrary(libraryDir);
  const files = libraryLayout();
  for (const folder of new Set(files.map((file) => path.posix.dirname(file)))) {
    await mkdir(path.join(libraryDir, folder), { recursive: true });
  }
  const base = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  const records: { path: string; size: number; mtimeMs: number; sha256: string }[] = [];
  await eachLimited(files, 64, async (file, i) => {
    const bytes = uniqueJpeg(base, i);
    const absolute = path.join(libraryDir, file);
    await writeFile(absolute, bytes);
    const { size, mtimeMs } = await lstat(absolute);
    records[i] = { path: file, size, mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const random = seededRandom(1);
  const index = LibraryIndex.open(libraryDir);
  try {
    index.transaction(() => {
      const vectors = records.map(({ sha256 }) => ({
        sha256,
        vector: Float32Array.from({ length: dims }, () => random() - 0.5),
      }));
      index.embeddings.putMany(modelKey, vectors);
      for (const record of records) index.files.put({ ...record, errorCode: null, error: null });
    });
  } finally {
    index.close();
  }
  await writeFile(completeMark, wanted);
  return (performance.now() - started) / 1000;
}

/** The generated library, made now if it is not there yet, with how long that took (undefined: it was there). */
export async function generatedLibrary(
  model: ClipModel,
): Promise<{ root: string; made: number | undefined }> {
  // The length of the model's embeddings, which the stored ones must have.
  const { width, height } = inputSize(model.preprocess);
  const blank = { data: new Uint8Array(width * height * 3), width, height, channels: 3 };
  const [probe] = await model.embedImages([blank]);
  return { root: libraryDir, made: await ensureLibrary(model.key, probe!.length) };
}

const seconds = (started: number) => (performance.now() - started) / 1000;
const fmt = (x: number) => `${x.toFixed(2)} s`;

/** Runs the rescan figures, reporting each through `row`. */
export async function benchRescan(row: (name: string, value: string) => void): Promise<void> {
  const model = await ClipModel.load(colourModelDir, { threads: 1 });
  try {
    const { made } = await generatedLibrary(model);
    const label = `${FILES.toLocaleString('en')} unchanged images`;
    if (made !== undefined) row(`rescan: generating the library (once), ${label}`, fmt(made));

    let started = performance.now();
    const session = await LibrarySession.open(libraryDir, {
      model: () => Promise.resolve(model),
      emit: () => {},
      holder: 'the rescan benchmark',
    });
    const opened = seconds(started);
    try {
      row(`rescan: opening the library (lock, index, interrupted moves, settings)`, fmt(opened));
      started = performance.now();
      await catchUpLibrary(session, model, () => {});
      const catchUp = seconds(started);
      row(`rescan: model catch-up, ${label}`, fmt(catchUp));
      row(`rescan: opening + catch-up, ${label}`, `${fmt(opened + catchUp)} (target ≤ 5 s)`);

      started = performance.now();
      const files = await libraryImageFiles(session.root);
      const listing = seconds(started);
      started = performance.now();
      const report = await embedFiles(session.root, files, model, session.index);
      const checking = seconds(started);
      if (report.embedded !== 0 || report.cached !== FILES) {
        throw new Error(`the rescan was not a no-op: ${report.embedded} embedded, ${report.cached} cached`);
      }
      row(
        `rescan: embed finding nothing to do, ${label}`,
        `${fmt(listing + checking)} (listing the disk ${fmt(listing)}, checking the index ${fmt(checking)})`,
      );
    } finally {
      await session.close();
    }
  } finally {
    await model.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchRescan((name, value) => console.log(`${name}: ${value}`));
}
