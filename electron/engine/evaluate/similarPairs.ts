/**
 * Every pair of unit vectors whose cosine reaches a threshold, without computing every cosine in full. Pairs are
 * compared four by four (sixteen dot products share each number read), over the first dimensions first: after
 * each checkpoint, Cauchy–Schwarz bounds what the remaining dimensions can still add, x·y ≤ (x·y)₁..ₖ + ‖x_rest‖
 * ‖y_rest‖, and the sixteen pairs are dropped as soon as none of them can reach the threshold. The answer is
 * exact; only the work depends on the data. Near the threshold the bound is loosened by `SLACK`, far more than
 * the rounding of float32 sums, so no pair is lost to rounding.
 */
import { rowCount, type Embeddings } from '../analysis/embeddings.js';

/** Pairs `first[k] < second[k]` with their cosine `similarity[k]`. */
export interface Pairs {
  first: Int32Array;
  second: Int32Array;
  similarity: Float64Array;
  count: number;
}

const SLACK = 1e-4;
const TILE = 4;

/** Where the running sums are checked: after a sixteenth, an eighth, a quarter and half of the dimensions. */
function checkpointsOf(dims: number): number[] {
  const points = [dims >> 4, dims >> 3, dims >> 2, dims >> 1].filter(
    (k, i, all) => k > 0 && k !== all[i - 1],
  );
  return [...points, dims];
}

/** A copy padded with zero rows to a multiple of the tile, and each row's norm past every checkpoint. */
function prepare(embeddings: Embeddings, checkpoints: readonly number[]) {
  const { dims } = embeddings;
  const rows = rowCount(embeddings);
  const padded = Math.ceil(rows / TILE) * TILE;
  const data = new Float32Array(padded * dims);
  data.set(embeddings.data.subarray(0, rows * dims));
  const tails = new Float64Array(padded * checkpoints.length);
  for (let i = 0; i < rows; i++) {
    checkpoints.forEach((k, c) => {
      let sum = 0;
      for (let d = i * dims + k; d < (i + 1) * dims; d++) sum += data[d]! * data[d]!;
      tails[i * checkpoints.length + c] = Math.sqrt(sum);
    });
  }
  return { data, padded, tails };
}

/** A growable list of pairs; refuses to hold more than `limit`. */
export class PairList {
  first: Int32Array;
  second: Int32Array;
  similarity: Float64Array;
  count = 0;

  constructor(private readonly limit: number) {
    const size = Math.min(1024, limit);
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.similarity = new Float64Array(size);
  }

  push(i: number, j: number, s: number): void {
    if (this.count >= this.limit) throw new TooManyPairsError(this.limit);
    if (this.count === this.first.length) {
      const size = Math.min(this.count * 2, this.limit);
      this.first = grow(this.first, new Int32Array(size));
      this.second = grow(this.second, new Int32Array(size));
      this.similarity = grow(this.similarity, new Float64Array(size));
    }
    this.first[this.count] = i;
    this.second[this.count] = j;
    this.similarity[this.count++] = s;
  }

  /** The pairs held, as `Pairs`. */
  result(): Pairs {
    return { first: this.first, second: this.second, similarity: this.similarity, count: this.count };
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** More pairs reached the threshold than may be kept. */
export class TooManyPairsError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} pairs reach the threshold`);
    this.name = 'TooManyPairsError';
  }
}

/**
 * Adds to `sums` (4 × 4, row-major) the products over dimensions `from`..`to` of rows a..a+3 with rows b..b+3
 * (offsets into `data`, rows `dims` apart). Sixteen running sums in locals: each number read is used four times.
 * Not `dotBlock`: the pruning needs sums that resume over a range of dimensions at a time, between which a tile
 * may be dropped, where `dotBlock` computes whole products.
 */
function addTile(
  data: Float32Array,
  a: number,
  b: number,
  dims: number,
  from: number,
  to: number,
  sums: Float64Array,
): void {
  const a1 = a + dims;
  const a2 = a1 + dims;
  const a3 = a2 + dims;
  const b1 = b + dims;
  const b2 = b1 + dims;
  const b3 = b2 + dims;
  let s00 = sums[0]!;
  let s01 = sums[1]!;
  let s02 = sums[2]!;
  let s03 = sums[3]!;
  let s10 = sums[4]!;
  let s11 = sums[5]!;
  let s12 = sums[6]!;
  let s13 = sums[7]!;
  let s20 = sums[8]!;
  let s21 = sums[9]!;
  let s22 = sums[10]!;
  let s23 = sums[11]!;
  let s30 = sums[12]!;
  let s31 = sums[13]!;
  let s32 = sums[14]!;
  let s33 = sums[15]!;
  for (let k = from; k < to; k++) {
    const u0 = data[a + k]!;
    const u1 = data[a1 + k]!;
    const u2 = data[a2 + k]!;
    const u3 = data[a3 + k]!;
    const v0 = data[b + k]!;
    const v1 = data[b1 + k]!;
    const v2 = data[b2 + k]!;
    const v3 = data[b3 + k]!;
    s00 += u0 * v0;
    s01 += u0 * v1;
    s02 += u0 * v2;
    s03 += u0 * v3;
    s10 += u1 * v0;
    s11 += u1 * v1;
    s12 += u1 * v2;
    s13 += u1 * v3;
    s20 += u2 * v0;
    s21 += u2 * v1;
    s22 += u2 * v2;
    s23 += u2 * v3;
    s30 += u3 * v0;
    s31 += u3 * v1;
    s32 += u3 * v2;
    s33 += u3 * v3;
  }
  sums[0] = s00;
  sums[1] = s01;
  sums[2] = s02;
  sums[3] = s03;
  sums[4] = s10;
  sums[5] = s11;
  sums[6] = s12;
  sums[7] = s13;
  sums[8] = s20;
  sums[9] = s21;
  sums[10] = s22;
  sums[11] = s23;
  sums[12] = s30;
  sums[13] = s31;
  sums[14] = s32;
  sums[15] = s33;
}

/** Whether any pair of the tile at rows i, j could still reach `cut`, given the norms left after `stage`. */
function tileCanReach(
  sums: Float64Array,
  tails: Float64Array,
  stages: number,
  stage: number,
  i: number,
  j: number,
  cut: number,
): boolean {
  for (let p = 0; p < TILE; p++) {
    const tail = tails[(i + p) * stages + stage]!;
    for (let q = 0; q < TILE; q++) {
      if (sums[p * TILE + q]! + tail * tails[(j + q) * stages + stage]! >= cut) return true;
    }
  }
  return false;
}

/**
 * Every pair i < j of rows whose dot product is at least `threshold` (> 0). Throws TooManyPairsError past
 * `maxPairs` pairs.
 */
export function similarPairs(embeddings: Embeddings, threshold: number, maxPairs: number): Pairs {
  if (!(threshold > 0)) throw new Error(`the threshold must be positive, got ${threshold}`);
  const { dims } = embeddings;
  const rows = rowCount(embeddings);
  const checkpoints = checkpointsOf(dims);
  const stages = checkpoints.length;
  const { data, padded, tails } = prepare(embeddings, checkpoints);
  const pairs = new PairList(maxPairs);
  const sums = new Float64Array(TILE * TILE);
  const cut = threshold - SLACK;
  for (let i = 0; i < padded; i += TILE) {
    for (let j = i; j < padded; j += TILE) {
      sums.fill(0);
      let from = 0;
      let alive = true;
      for (let stage = 0; stage < stages && alive; stage++) {
        const to = checkpoints[stage]!;
        addTile(data, i * dims, j * dims, dims, from, to, sums);
        from = to;
        if (to < dims) alive = tileCanReach(sums, tails, stages, stage, i, j, cut);
      }
      if (!alive) continue;
      for (let p = 0; p < TILE; p++) {
        for (let q = 0; q < TILE; q++) {
          const s = sums[p * TILE + q]!;
          if (i + p < j + q && j + q < rows && s >= threshold) pairs.push(i + p, j + q, s);
        }
      }
    }
  }
  return pairs.result();
}
