/**
 * `npx tsx test/bench/evaluate.ts`: how long evaluation and near-duplicate search take on library-sized inputs,
 * printed as figures (seconds), not pass/fail. Duplicates run on 20,000 × 512 unit vectors, twice: structureless
 * (uniform on the sphere, the worst case for pruning) and CLIP-like (a shared direction, a few hundred themes,
 * noise, and planted near-copies). The modes are cross-validated on CLIP-like reference sets of growing size.
 */
import os from 'node:os';
import { packEmbeddings } from '../../electron/engine/analysis/embeddings.js';
import { captionScores } from '../../electron/engine/evaluate/captionMetrics.js';
import { findDuplicates } from '../../electron/engine/evaluate/duplicates.js';
import { foldCount } from '../../electron/engine/evaluate/crossValidation.js';
import { crossValidatedConfusion } from '../../electron/engine/evaluate/modeAccuracy.js';
import { MODES } from '../../electron/engine/classify/scores.js';
import { l2Normalise } from '../../electron/engine/inference/vectors.js';
import { makeClusters } from '../classify/clusters.js';
import { random } from '../helpers/images.js';

const ROWS = Number(process.env.CLIPSORT_BENCH_ROWS ?? 20_000);
const DIMS = 512;

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

function benchDuplicates(name: string, vectors: Float32Array[]) {
  const embeddings = packEmbeddings(vectors);
  for (const threshold of [0.95, 0.9]) {
    const started = performance.now();
    const groups = findDuplicates({ embeddings, threshold });
    const grouped = groups.reduce((n, g) => n + g.members.length, 0);
    console.log(
      `  duplicates, ${name}, ${vectors.length} × ${DIMS}, threshold ${threshold}: ${seconds(started)} s ` +
        `(${groups.length} groups, ${grouped} images)`,
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
benchDuplicates('structureless', structureless(ROWS, 1));
benchDuplicates('CLIP-like', clipLike(ROWS, 200, 2));
