/**
 * Every pair of unit vectors whose cosine reaches a threshold, with onnxruntime's matrix multiply: block by block
 * over the upper triangle, the products of a block of rows with the rows from that block on are computed and
 * thresholded natively (thresholdGraph.ts), at a cut lowered by more than float32 rounding can move a product.
 * Each hit is then recomputed exactly in JavaScript (float64 sums) and kept only if it reaches the threshold, so
 * the answer is the same as a full float64 comparison's. Memory stays at one block of products.
 */
import { rowCount, type Embeddings } from '../analysis/embeddings.js';
import { sharedSession } from '../inference/memoryGraph.js';
import { Tensor } from '../inference/onnxRuntime.js';
import { PairList, type Pairs } from './similarPairs.js';
import { thresholdGraph } from './thresholdGraph.js';

/** Rows × columns of one run: 32 MB of products, large enough to keep the multiply at full speed. */
const BLOCK_ROWS = 1024;
const BLOCK_COLUMNS = 8192;
/** float32's unit roundoff. */
const UNIT_ROUNDOFF = 2 ** -24;

const thresholdSession = sharedSession(thresholdGraph);

/**
 * How far below its exact value a float32 dot product of two unit vectors can come out: at most γ_d = d·u/(1 −
 * d·u) in any order of summation, doubled, plus room for rounding the cut itself to float32.
 */
export function roundingSlack(dims: number): number {
  return 2 * dims * UNIT_ROUNDOFF + 1e-5;
}

function exactDot(data: Float32Array, dims: number, i: number, j: number): number {
  let sum = 0;
  for (let a = i * dims, b = j * dims, end = a + dims; a < end; a++, b++) sum += data[a]! * data[b]!;
  return sum;
}

/**
 * Every pair i < j of rows (unit vectors) whose dot product is at least `threshold` (> 0). Throws
 * TooManyPairsError past `maxPairs` pairs.
 */
export async function similarPairsOnnx(
  embeddings: Embeddings,
  threshold: number,
  maxPairs: number,
): Promise<Pairs> {
  if (!(threshold > 0)) throw new Error(`the threshold must be positive, got ${threshold}`);
  const { data, dims } = embeddings;
  const rows = rowCount(embeddings);
  const pairs = new PairList(maxPairs);
  if (rows < 2) return pairs.result();
  const run = await thresholdSession();
  const cut = new Tensor('float32', Float32Array.of(threshold - roundingSlack(dims)), []);
  const block = (from: number, to: number) =>
    new Tensor('float32', data.subarray(from * dims, to * dims), [to - from, dims]);
  for (let i = 0; i < rows; i += BLOCK_ROWS) {
    const a = block(i, Math.min(rows, i + BLOCK_ROWS));
    for (let j = i; j < rows; j += BLOCK_COLUMNS) {
      const { at } = await run.run({ a, b: block(j, Math.min(rows, j + BLOCK_COLUMNS)), cut });
      const where = at!.data as Int32Array;
      const hits = where.length / 2;
      for (let k = 0; k < hits; k++) {
        const first = i + where[k]!;
        const second = j + where[hits + k]!;
        // The block on the diagonal holds each pair twice and every row with itself.
        if (first >= second) continue;
        const s = exactDot(data, dims, first, second);
        if (s >= threshold) pairs.push(first, second, s);
      }
    }
  }
  return pairs.result();
}
