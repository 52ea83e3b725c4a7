/**
 * Principal component analysis by subspace iteration on the covariance matrix, never forming it: each step
 * multiplies a block of `p` vectors by XᵀX in one pass over the rows, so the cost is 2·n·d·p per step instead
 * of the n·d² of the covariance (100,000 × 512 would take about ten seconds in JavaScript). Rayleigh–Ritz on
 * the block gives the components and their variances; the block holds a few more vectors than asked for,
 * which makes the leading ones converge fast (at the rate λ_{p+1}/λ_i per step).
 */
import { dotBlock } from '../inference/dotKernel.js';
import { pickRows, rowCount, type Embeddings } from './embeddings.js';
import { gaussian, sampleIndices, seededRandom } from './random.js';
import { symmetricEigen } from './symmetricEigen.js';

export interface Pca {
  mean: Float64Array;
  /** `count` unit axes of `dims` numbers, row-major, most variance first. */
  components: Float64Array;
  count: number;
  dims: number;
  /** Variance along each axis. */
  variances: number[];
  /** Share of the total variance along each axis. */
  explained: number[];
  iterations: number;
}

/**
 * Extra vectors carried along with the ones asked for; the block is a multiple of four wide for the kernel. A
 * warm-started block is already close, and carries fewer over the whole data.
 */
const OVERSAMPLE = 6;
const WARM_OVERSAMPLE = 2;
/**
 * Converged once no leading variance changes by more than this share of the largest between steps. Where the
 * leading variances are nearly equal the axes converge slowly, but then any axes of that subspace draw an
 * equally faithful map and explain the same variance: the step limits stop there.
 */
const TOLERANCE = 1e-5;
const MAX_ITERATIONS = 50;
/** Steps over the whole data after a warm start from a sample. */
const MAX_WARM_ITERATIONS = 8;
/** Rows of the sample that gives the starting block on large data. */
const WARM_START_ROWS = 10_000;
/** Rows multiplied by the block at a time: few, so that they are still in the fastest cache for the update. */
const GRAM_ROWS = 8;

/**
 * Orthonormalises the first `live` rows of `v` in place (modified Gram–Schmidt, twice for full precision) and
 * zeroes the rest: with fewer dimensions than block rows, the extra rows stay out of the way.
 */
function orthonormalise(v: Float64Array, p: number, d: number): void {
  const live = Math.min(p, d);
  v.fill(0, live * d);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < live; i++) {
      const vi = i * d;
      for (let j = 0; j < i; j++) {
        const vj = j * d;
        let proj = 0;
        for (let k = 0; k < d; k++) proj += v[vi + k]! * v[vj + k]!;
        for (let k = 0; k < d; k++) v[vi + k]! -= proj * v[vj + k]!;
      }
      let norm = 0;
      for (let k = 0; k < d; k++) norm += v[vi + k]! * v[vi + k]!;
      norm = Math.sqrt(norm);
      // A vector that vanished (rank-deficient data) is replaced by a unit axis; the next pass fixes it up.
      if (norm < 1e-300) v[vi + (i % d)] = 1;
      else for (let k = 0; k < d; k++) v[vi + k]! /= norm;
    }
  }
}

/**
 * w = XᵀX·v for the p rows of `v` (p a multiple of four), in one pass over X: y = X·vᵀ for a block of rows,
 * then for two rows x at a time, w += y ⊗ x.
 */
function gramTimes(e: Embeddings, v: Float64Array, p: number, w: Float64Array): void {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  w.fill(0);
  // One more row than the block: zeros, the partner of a lone last row, which so contributes once.
  const y = new Float64Array((GRAM_ROWS + 1) * p);
  for (let from = 0; from < n; from += GRAM_ROWS) {
    const to = Math.min(n, from + GRAM_ROWS);
    dotBlock(x, from, to, v, 0, p, d, y, 0, p);
    y.fill(0, (to - from) * p);
    for (let r = from; r < to; r += 2) {
      const a = r * d;
      const b = r + 1 < to ? a + d : a;
      const ya = (r - from) * p;
      const yb = ya + p;
      for (let j = 0; j < p; j += 4) {
        const y0 = y[ya + j]!;
        const y1 = y[ya + j + 1]!;
        const y2 = y[ya + j + 2]!;
        const y3 = y[ya + j + 3]!;
        const z0 = y[yb + j]!;
        const z1 = y[yb + j + 1]!;
        const z2 = y[yb + j + 2]!;
        const z3 = y[yb + j + 3]!;
        const w0 = j * d;
        const w1 = w0 + d;
        const w2 = w1 + d;
        const w3 = w2 + d;
        for (let k = 0; k < d; k++) {
          const u = x[a + k]!;
          const z = x[b + k]!;
          w[w0 + k]! += u * y0 + z * z0;
          w[w1 + k]! += u * y1 + z * z1;
          w[w2 + k]! += u * y2 + z * z2;
          w[w3 + k]! += u * y3 + z * z3;
        }
      }
    }
  }
}

/** Column means, and the total variance (the trace of the covariance). */
function moments(e: Embeddings): { mean: Float64Array; total: number } {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const mean = new Float64Array(d);
  let squares = 0;
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) {
      const value = x[r * d + k]!;
      mean[k]! += value;
      squares += value * value;
    }
  }
  let meanSquare = 0;
  for (let k = 0; k < d; k++) {
    mean[k]! /= n;
    meanSquare += mean[k]! * mean[k]!;
  }
  return { mean, total: (squares - n * meanSquare) / (n - 1) };
}

/**
 * Subspace iteration from the orthonormal block `v` (p × d) until the `wanted` leading Ritz values settle.
 * Returns the Ritz vectors (p × d, most variance first), their values and the steps taken.
 */
function iterate(
  e: Embeddings,
  mean: Float64Array,
  v: Float64Array,
  p: number,
  wanted: number,
  maxIterations: number,
): { vectors: Float64Array; values: Float64Array; iterations: number } {
  const { dims: d } = e;
  const n = rowCount(e);
  const w = new Float64Array(p * d);
  const h = new Float64Array(p * p);
  const ritz = new Float64Array(p * d);
  let previous: Float64Array | undefined;
  for (let iteration = 1; ; iteration++) {
    // w = C·v with C = (XᵀX − n·μμᵀ)/(n − 1).
    gramTimes(e, v, p, w);
    for (let i = 0; i < p; i++) {
      let mv = 0;
      for (let k = 0; k < d; k++) mv += mean[k]! * v[i * d + k]!;
      for (let k = 0; k < d; k++) w[i * d + k] = (w[i * d + k]! - n * mean[k]! * mv) / (n - 1);
    }
    // Rayleigh–Ritz: the eigenpairs of vᵀCv (symmetrised against rounding).
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let a = 0;
        let b = 0;
        for (let k = 0; k < d; k++) {
          a += v[i * d + k]! * w[j * d + k]!;
          b += v[j * d + k]! * w[i * d + k]!;
        }
        h[i * p + j] = h[j * p + i] = (a + b) / 2;
      }
    }
    const { values, vectors: s } = symmetricEigen(h, p);
    const leading = values.subarray(0, wanted);
    const settled =
      previous !== undefined &&
      leading.every((value, i) => Math.abs(value - previous![i]!) <= TOLERANCE * Math.abs(leading[0]!));
    previous = Float64Array.from(leading);
    // The Ritz vectors v·S, or, to go on, C·v·S: the same vectors one step further.
    const done = settled || iteration >= maxIterations;
    const from = done ? v : w;
    const out = done ? ritz : new Float64Array(p * d);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const factor = s[i * p + j]!;
        for (let k = 0; k < d; k++) out[i * d + k]! += factor * from[j * d + k]!;
      }
    }
    if (done) return { vectors: ritz, values, iterations: iteration };
    orthonormalise(out, p, d);
    v.set(out);
  }
}

/**
 * The `count` leading principal axes of the rows of `e` (at least two rows), after at most `maxIterations`
 * steps (a few steps already give a subspace that holds nearly all the leading variance, which is enough to
 * reduce dimensions). Over many rows the block is first iterated on a sample, whose axes are already close,
 * so that the whole data needs only a few passes.
 */
export function pca(e: Embeddings, count = 2, seed = 0, maxIterations = MAX_ITERATIONS): Pca {
  const { dims: d } = e;
  const n = rowCount(e);
  if (n < 2) throw new Error('PCA needs at least two rows');
  const wanted = Math.min(count, d);
  const blockSize = (extra: number) => Math.ceil(Math.min(wanted + extra, d) / 4) * 4;
  let p = blockSize(OVERSAMPLE);
  const random = seededRandom(seed);
  const normal = gaussian(random);
  let v: Float64Array = Float64Array.from({ length: p * d }, normal);
  orthonormalise(v, p, d);
  let iterations = 0;
  if (n > 4 * WARM_START_ROWS) {
    const sample = pickRows(e, sampleIndices(n, WARM_START_ROWS, random));
    const warm = iterate(sample, moments(sample).mean, v, p, wanted, maxIterations);
    p = blockSize(WARM_OVERSAMPLE);
    v = warm.vectors.slice(0, p * d);
    iterations += warm.iterations;
  }
  const { mean, total } = moments(e);
  const fit = iterate(
    e,
    mean,
    v,
    p,
    wanted,
    Math.min(maxIterations, iterations > 0 ? MAX_WARM_ITERATIONS : Infinity),
  );
  iterations += fit.iterations;

  // Each axis signed so that its largest entry is positive: the same data always gives the same picture.
  const components = fit.vectors.slice(0, wanted * d);
  for (let i = 0; i < wanted; i++) {
    const axis = components.subarray(i * d, (i + 1) * d);
    const largest = axis.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
    if (largest < 0) for (let k = 0; k < d; k++) axis[k] = -axis[k]!;
  }
  const variances = Array.from(fit.values.subarray(0, wanted), (value) => Math.max(value, 0));
  return {
    mean,
    components,
    count: wanted,
    dims: d,
    variances,
    explained: variances.map((value) => (total > 0 ? value / total : 0)),
    iterations,
  };
}

/** The coordinates of the mean on the axes of `fit` (uncentred), which `projectOnto` subtracts. */
export function meanCoordinates(fit: Pca): Float64Array {
  const { count, dims, mean, components } = fit;
  return Float64Array.from({ length: count }, (_, c) => {
    let s = 0;
    for (let k = 0; k < dims; k++) s += mean[k]! * components[c * dims + k]!;
    return s;
  });
}

/** The coordinates of every row of `e` on the axes of `fit`, row-major (rows × fit.count). */
export function projectOnto(e: Embeddings, fit: Pca): Float64Array {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const out = new Float64Array(n * fit.count);
  const offsets = meanCoordinates(fit);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < fit.count; c++) {
      let s = 0;
      const axis = c * d;
      for (let k = 0; k < d; k++) s += x[r * d + k]! * fit.components[axis + k]!;
      out[r * fit.count + c] = s - offsets[c]!;
    }
  }
  return out;
}
