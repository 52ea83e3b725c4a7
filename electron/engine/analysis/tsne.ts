/**
 * t-SNE (van der Maaten & Hinton, 2008) on cosine geometry, as the Barnes–Hut variant (van der Maaten, 2014)
 * computes it: each point's input affinities reach only its 3·perplexity nearest neighbours (squared
 * Euclidean distances between unit vectors, 2 − 2·cos), calibrated to the perplexity by bisection, and the
 * repulsive forces come from a quadtree (barnesHut.ts). The optimiser is the reference one: early exaggeration
 * for the first 250 steps, momentum 0.5 then 0.8, per-coordinate gains, and the learning rate max(n / 12 / 4,
 * 50) of Belkina et al. (2019). About O(n log n) per step.
 */
import { nearestNeighboursAtScale } from './atScale.js';
import { barnesHutRepulsion } from './barnesHut.js';
import { rowCount, type Embeddings } from './embeddings.js';
import { gaussian, seededRandom } from './random.js';

export interface TsneOptions {
  seed?: number;
  perplexity?: number;
  iterations?: number;
}

const EXAGGERATION = 12;
const EXAGGERATION_STEPS = 250;
const ENTROPY_TOLERANCE = 1e-5;

/** Symmetric input affinities P over the neighbour graph (summing to 1), row by row. */
interface SparseAffinities {
  /** Row i's entries are columns[rowStart[i]..rowStart[i + 1]). */
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/** p_j|i over each row's `k` neighbours (row-major n × k), its entropy bisected to log(perplexity). */
function conditionalAffinities(squared: Float64Array, k: number, perplexity: number): Float64Array {
  const conditional = new Float64Array(squared.length);
  const target = Math.log(perplexity);
  for (let row = 0; row < squared.length; row += k) {
    let beta = 1;
    let low = 0;
    let high = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      let weighted = 0;
      for (let t = row; t < row + k; t++) {
        const p = Math.exp(-beta * squared[t]!);
        conditional[t] = p;
        sum += p;
        weighted += p * squared[t]!;
      }
      // Every neighbour is too far for this beta: lower it.
      const entropy = sum > 0 ? Math.log(sum) + (beta * weighted) / sum : Infinity;
      if (sum > 0) for (let t = row; t < row + k; t++) conditional[t]! /= sum;
      if (sum > 0 && Math.abs(entropy - target) < ENTROPY_TOLERANCE) break;
      if (sum > 0 && entropy > target) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
  }
  return conditional;
}

/** P = (p_j|i + p_i|j) / 2n over the union of both directions of the neighbour graph. */
async function affinities(e: Embeddings, perplexity: number): Promise<SparseAffinities> {
  const n = rowCount(e);
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  // Each row is its own nearest neighbour (neighbours.ts): asked for one more, the first is dropped.
  const found = await nearestNeighboursAtScale(e, e, k + 1, 'cosine');
  const neighbours = new Int32Array(n * k);
  const squared = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      neighbours[i * k + t] = found.indices[i * found.k + t + 1]!;
      squared[i * k + t] = Math.max(0, 2 * found.distances[i * found.k + t + 1]!);
    }
  }
  const conditional = conditionalAffinities(squared, k, perplexity);
  // Both directions of every edge, gathered per row. An edge found from both ends is listed twice, which
  // the gradient (linear in P) sums as one entry of the summed affinity.
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    degree[i + 1]! += k;
    for (let t = 0; t < k; t++) degree[neighbours[i * k + t]! + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const fill = degree.slice(0, n);
  const columns = new Int32Array(degree[n]!);
  const values = new Float64Array(degree[n]!);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = neighbours[i * k + t]!;
      const p = conditional[i * k + t]! / (2 * n);
      columns[fill[i]!] = j;
      values[fill[i]!++] = p;
      columns[fill[j]!] = i;
      values[fill[j]!++] = p;
    }
  }
  return { rowStart: degree, columns, values };
}

/** A 2D t-SNE embedding of the rows of `e` (at least four), row-major (x, y). */
export async function tsne(e: Embeddings, options: TsneOptions = {}): Promise<Float64Array> {
  const n = rowCount(e);
  if (n < 4) throw new Error('t-SNE needs at least four rows');
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const steps = options.iterations ?? 1000;
  const { rowStart, columns, values } = await affinities(e, perplexity);
  const normal = gaussian(seededRandom(options.seed ?? 0));
  const y = Float64Array.from({ length: 2 * n }, () => 1e-4 * normal());
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const gradient = new Float64Array(2 * n);
  const repulsion = new Float64Array(2 * n);
  const rate = Math.max(n / EXAGGERATION / 4, 50);
  for (let step = 0; step < steps; step++) {
    const exaggeration = step < EXAGGERATION_STEPS ? EXAGGERATION : 1;
    const momentum = step < EXAGGERATION_STEPS ? 0.5 : 0.8;
    // ∂C/∂y_i = 4 Σ_j (exaggeration·p_ij − q̃_ij / Z) q̃_ij (y_i − y_j) with q̃_ij = 1 / (1 + ‖y_i − y_j‖²)
    // and Z = Σ q̃: attraction over the neighbour graph, repulsion from the quadtree.
    const z = barnesHutRepulsion(y, repulsion);
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i]!;
      const yi = y[2 * i + 1]!;
      let ax = 0;
      let ay = 0;
      for (let t = rowStart[i]!; t < rowStart[i + 1]!; t++) {
        const j = columns[t]!;
        const dx = xi - y[2 * j]!;
        const dy = yi - y[2 * j + 1]!;
        const pull = values[t]! / (1 + dx * dx + dy * dy);
        ax += pull * dx;
        ay += pull * dy;
      }
      gradient[2 * i] = 4 * (exaggeration * ax - repulsion[2 * i]! / z);
      gradient[2 * i + 1] = 4 * (exaggeration * ay - repulsion[2 * i + 1]! / z);
    }
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
