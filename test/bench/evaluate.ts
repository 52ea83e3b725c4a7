/**
 * `npx tsx test/bench/evaluate.ts`: how long evaluation and near-duplicate search take on library-sized inputs,
 * printed as figures (seconds), not pass/fail. Duplicates run on `CLIPSORT_BENCH_ROWS` (100,000) CLIP-like unit
 * vectors of 512 dimensions (a shared direction, a few hundred themes, noise, and planted near-copies), with
 * both kernels: onnxruntime's, through `findDuplicates` as the product runs it, and the JavaScript one, timed on
 * `CLIPSORT_BENCH_JS_ROWS` (10,000) rows and extrapolated by pair count when that is fewer. The modes are
 * cross-validated on CLIP-like reference sets of growing size. `benchDuplicates` is the part `npm run bench`
 * prints.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { packEmbeddings, pickRows, rowCount } from '../../electron/engine/analysis/embeddings.js';
import { captionScores } from '../../electron/engine/evaluate/captionMetrics.js';
import { findDuplicates } from '../../electron/engine/evaluate/duplicates.js';
import { similarPairs } from '../../electron/engine/evaluate/similarPairs.js';
import { foldCount } from '../../electron/engine/evaluate/crossValidation.js';
import { crossValidatedConfusion } from '../../electron/engine/evaluate/modeAccuracy.js';
import { MODES } from '../../electron/engine/classify/scores.js';
import { l2Normalise } from '../../electron/engine/inference/vectors.js';
import { makeClusters } from '../classify/clusters.js';
import { random } from '../helpers/images.js';

const ROWS = Number(process.env.CLIPSORT_BENCH_ROWS ?? 100_000);
/** Rows the JavaScript kernel is timed on: a full 100,000 takes it many minutes. */
const JS_ROWS = Math.min(ROWS, Number(process.env.CLIPSORT_BENCH_JS_ROWS ?? 10_000));
const DIMS = 512;
const THRESHOLDS = [0.95, 0.9];

function gaussians(seed: number) {
  const next = random(seed);
  return () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

/** Uniformly random unit vectors. */
function structureless(rows: number, seed: number): Float32Array[] {
  const gaussian = gaussians(seed);
  return Array.from({ length: rows }, () => l2Normalise(Float32Array.from({ length: DIMS }, gaussian)));
}

/**
 * CLIP-like unit vectors: 0.74 of a shared direction, 0.5 of one of `themes` directions and 0.45 of noise (cosine
 * ≈ 0.8 within a theme, ≈ 0.55 across), with one row in fifty a near-copy (cosine ≈ 0.99) of an earlier one.
 */
function clipLike(rows: number, themes: number, seed: number): Float32Array[] {
  const gaussian = gaussians(seed);
  const direction = () => l2Normalise(Float32Array.from({ length: DIMS }, gaussian));
  const common = direction();
  const centres = Array.from({ length: themes }, direction);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < rows; i++) {
    const noise = direction();
    const copy = i % 50 === 49 ? vectors[i - 17] : undefined;
    const centre = centres[i % themes]!;
    vectors.push(
      l2Normalise(
        copy
          ? copy.map((x, d) => x + 0.12 * noise[d]!)
          : common.map((x, d) => 0.74 * x + 0.5 * centre[d]! + 0.45 * noise[d]!),
      ),
    );
  }
  return vectors;
}

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(2);

const count = (n: number) => n.toLocaleString('en');

/** Near-duplicate search on CLIP-like data with both kernels, each figure reported through `row`. */
export async function benchDuplicates(row: (name: string, value: string) => void): Promise<void> {
  const embeddings = packEmbeddings(clipLike(ROWS, 200, 2));
  const label = `${count(ROWS)} × ${DIMS} CLIP-like`;
  for (const threshold of THRESHOLDS) {
    const started = performance.now();
    const groups = await findDuplicates({ embeddings, threshold });
    const grouped = groups.reduce((n, g) => n + g.members.length, 0);
    row(
      `duplicates: onnxruntime, ${label}, threshold ${threshold}`,
      `${seconds(started)} s (${count(groups.length)} groups, ${count(grouped)} images; target ≤ 60 s)`,
    );
  }
  const subset = pickRows(
    embeddings,
    Array.from({ length: JS_ROWS }, (_, i) => i),
  );
  // Pairs grow as n²: the time of the whole comparison scales with it.
  const scale = (ROWS / rowCount(subset)) ** 2;
  for (const threshold of THRESHOLDS) {
    const started = performance.now();
    const pairs = similarPairs(subset, threshold, Number.MAX_SAFE_INTEGER);
    const took = (performance.now() - started) / 1000;
    row(
      JS_ROWS === ROWS
        ? `duplicates: JavaScript kernel, ${label}, threshold ${threshold}`
        : `duplicates: JavaScript kernel, ${label}, threshold ${threshold}, extrapolated from ${count(JS_ROWS)} rows`,
      JS_ROWS === ROWS
        ? `${took.toFixed(2)} s (${count(pairs.count)} pairs)`
        : `${(took * scale).toFixed(0)} s estimated (${took.toFixed(2)} s on ${count(JS_ROWS)} rows × ${scale})`,
    );
  }
}

function benchModes(classes: number, perClass: number) {
  const { classes: set } = makeClusters({
    classes,
    perClass,
    dims: DIMS,
    seed: 9,
    noise: 1.3,
    confusion: 0.5,
  });
  const references = classes * perClass;
  const folds = foldCount(references);
  const times = MODES.map((mode) => {
    const started = performance.now();
    crossValidatedConfusion(set, mode, folds);
    return `${mode} ${seconds(started)} s`;
  });
  console.log(`  modes, ${classes} classes × ${perClass} references (${folds} folds): ${times.join(', ')}`);
}

function benchCaptions(rows: number) {
  const images = structureless(rows, 3);
  const captions = structureless(rows, 4);
  const keys = images.map((_, i) => String(i));
  const started = performance.now();
  captionScores(images, captions, keys, keys);
  console.log(`  caption scores, ${rows} rows: ${seconds(started)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const row = (name: string, value: string) => console.log(`  ${name}: ${value}`);
  console.log(`ClipSort evaluation benchmark: ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  benchCaptions(1000);
  for (const [classes, perClass] of [
    [5, 10],
    [10, 10],
    [20, 10],
    [50, 20],
  ]) {
    benchModes(classes!, perClass!);
  }
  await benchDuplicates(row);
}
