/**
 * t-SNE (van der Maaten & Hinton, 2008) with the exact gradient, on cosine geometry: input affinities come
 * from squared Euclidean distances between unit vectors (2 − 2·cos), calibrated per point to the perplexity
 * by bisection. The optimiser is the reference one: early exaggeration for the first 250 steps, momentum 0.5
 * then 0.8, per-coordinate gains, and the learning rate max(n / 12 / 4, 50) of Belkina et al. (2019). O(n²)
 * per step: meant for a few thousand points (larger libraries are subsampled by the caller).
 */
import { blockDots, ROW_BLOCK, rowCount, type Embeddings } from './embeddings.js';
import { gaussian, seededRandom } from './random.js';

export interface TsneOptions {
  seed?: number;
  perplexity?: number;
  iterations?: number;
}

const EXAGGERATION = 12;
const EXAGGERATION_STEPS = 250;
const ENTROPY_TOLERANCE = 1e-5;

/** Symmetric input affinities P (n × n, summing to 1). */
function affinities(e: Embeddings, perplexity: number): Float64Array {
  const n = rowCount(e);
  const squared = new Float64Array(n * n);
  const dots = new Float64Array(ROW_BLOCK * n);
  for (let from = 0; from < n; from += ROW_BLOCK) {
    const to = Math.min(n, from + ROW_BLOCK);
    blockDots(e, from, to, e, 0, n, dots);
    for (let i = from; i < to; i++) {
      for (let j = 0; j < n; j++) squared[i * n + j] = Math.max(0, 2 - 2 * dots[(i - from) * n + j]!);
    }
  }
  const conditional = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    // Bisection on the precision beta until the row's entropy is log(perplexity).
    let beta = 1;
    let low = 0;
    let high = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const p = Math.exp(-beta * squared[row + j]!);
        conditional[row + j] = p;
        sum += p;
        weighted += p * squared[row + j]!;
      }
      // Every other point is too far for this beta: lower it.
      const entropy = sum > 0 ? Math.log(sum) + (beta * weighted) / sum : Infinity;
      if (sum > 0) for (let j = 0; j < n; j++) conditional[row + j]! /= sum;
      if (sum > 0 && Math.abs(entropy - target) < ENTROPY_TOLERANCE) break;
      if (sum > 0 && entropy > target) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
    conditional[row + i] = 0;
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      p[i * n + j] = Math.max((conditional[i * n + j]! + conditional[j * n + i]!) / (2 * n), 1e-12);
    p[i * n + i] = 0;
  }
  return p;
}

/** A 2D t-SNE embedding of the rows of `e` (at least four), row-major (x, y). */
export function tsne(e: Embeddings, options: TsneOptions = {}): Float64Array {
  const n = rowCount(e);
  if (n < 4) throw new Error('t-SNE needs at least four rows');
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const steps = options.iterations ?? 1000;
  const p = affinities(e, perplexity);
  const normal = gaussian(seededRandom(options.seed ?? 0));
  const y = Float64Array.from({ length: 2 * n }, () => 1e-4 * normal());
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const gradient = new Float64Array(2 * n);
  const attraction = new Float64Array(2 * n);
  const repulsion = new Float64Array(2 * n);
  const rate = Math.max(n / EXAGGERATION / 4, 50);
  for (let step = 0; step < steps; step++) {
    const exaggeration = step < EXAGGERATION_STEPS ? EXAGGERATION : 1;
    const momentum = step < EXAGGERATION_STEPS ? 0.5 : 0.8;
    // ∂C/∂y_i = 4 Σ_j (exaggeration·p_ij − q̃_ij / Z) q̃_ij (y_i − y_j) with q̃_ij = 1 / (1 + ‖y_i − y_j‖²)
    // and Z = Σ q̃: the attractive and repulsive sums are gathered in one pass and combined once Z is known.
    let z = 0;
    attraction.fill(0);
    repulsion.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i]!;
      const yi = y[2 * i + 1]!;
      const row = i * n;
      let ax = 0;
      let ay = 0;
      let rx = 0;
      let ry = 0;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - y[2 * j]!;
        const dy = yi - y[2 * j + 1]!;
        const q = 1 / (1 + dx * dx + dy * dy);
        z += q;
        const pull = p[row + j]! * q;
        const push = q * q;
        ax += pull * dx;
        ay += pull * dy;
        rx += push * dx;
        ry += push * dy;
        attraction[2 * j]! -= pull * dx;
        attraction[2 * j + 1]! -= pull * dy;
        repulsion[2 * j]! -= push * dx;
        repulsion[2 * j + 1]! -= push * dy;
      }
      attraction[2 * i]! += ax;
      attraction[2 * i + 1]! += ay;
      repulsion[2 * i]! += rx;
      repulsion[2 * i + 1]! += ry;
    }
    z *= 2;
    for (let t = 0; t < 2 * n; t++) gradient[t] = 4 * (exaggeration * attraction[t]! - repulsion[t]! / z);
    // Delta-bar-delta gains: grow where the step keeps its direction, shrink where it turns.
    for (let t = 0; t < 2 * n; t++) {
      const g = gradient[t]!;
      gains[t] = Math.max(0.01, Math.sign(g) !== Math.sign(update[t]!) ? gains[t]! + 0.2 : gains[t]! * 0.8);
      update[t] = momentum * update[t]! - rate * gains[t]! * g;
      y[t]! += update[t]!;
    }
    // Re-centre, so that the layout cannot drift.
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += y[2 * i]!;
      my += y[2 * i + 1]!;
    }
    for (let i = 0; i < n; i++) {
      y[2 * i]! -= mx / n;
      y[2 * i + 1]! -= my / n;
    }
  }
  return y;
}
