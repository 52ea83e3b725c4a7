/**
 * k-means: k-means++ seeding (Arthur & Vassilvitskii, 2007) and Lloyd's iterations with Elkan's bounds
 * (2003), which skip the distances that cannot change a row's assignment (by the triangle inequality): after
 * the first iterations most rows are settled by a few comparisons, which is what makes 100,000 × 512 take
 * seconds. The result is Lloyd's exactly. On unit vectors the squared Euclidean distance is twice the cosine
 * distance, so these clusters are cosine ones.
 */
import { dotBlock } from '../inference/dotKernel.js';
import { blockDots, pickRows, ROW_BLOCK, rowCount, type Embeddings } from './embeddings.js';
import { sampleIndices, seededRandom } from './random.js';

export interface KMeans {
  /** The cluster of each row, 0…k−1. */
  labels: Int32Array;
  /** k × dims. */
  centroids: Float64Array;
  k: number;
  /** Sum of squared distances of the rows to their centroids. */
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface KMeansOptions {
  seed?: number;
  maxIterations?: number;
  /**
   * Stop once the centroids move less than this in total (sum of squared moves), relative to the data's mean
   * variance per dimension, as scikit-learn does; 0 runs to the exact fixed point.
   */
  tolerance?: number;
}

const MAX_ITERATIONS = 300;
/** scikit-learn's default. */
const TOLERANCE = 1e-4;
/** Rows that k-means++ seeding looks at, at most. */
const SEEDING_ROWS = 20_000;

/** The mean over dimensions of each dimension's variance. */
function meanVariance(e: Embeddings): number {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const sum = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const value = x[i * d + t]!;
      sum[t]! += value;
      squares[t]! += value * value;
    }
  }
  let total = 0;
  for (let t = 0; t < d; t++) total += squares[t]! / n - (sum[t]! / n) ** 2;
  return total / d;
}

/** Squared norms of the rows of `e`. */
function rowNorms(e: Embeddings): Float64Array {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += x[i * d + t]! * x[i * d + t]!;
    out[i] = s;
  }
  return out;
}

/**
 * Greedy k-means++ (as scikit-learn does it): each next centre is the best, by the resulting sum of squared
 * distances, of 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared distance to the nearest
 * centre so far. Plain k-means++ too often puts two centres in one cluster of well-separated data.
 */
function seedCentroids(e: Embeddings, norms: Float64Array, k: number, random: () => number): Float64Array {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const trials = 2 + Math.floor(Math.log(k));
  const centroids = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  /** Per row and candidate: the squared distance to the nearest centre if that candidate were chosen. */
  const reached = new Float64Array(n * trials);
  const dots = new Float64Array(ROW_BLOCK * trials);
  /** Squared distances of every row to candidate rows `rows`, calling `visit(row, candidate, squared)`. */
  const distancesTo = (rows: number[], visit: (i: number, c: number, squared: number) => void) => {
    const candidates = pickRows(e, rows);
    for (let from = 0; from < n; from += ROW_BLOCK) {
      const to = Math.min(n, from + ROW_BLOCK);
      blockDots(e, from, to, candidates, 0, rows.length, dots);
      for (let i = from; i < to; i++) {
        for (let c = 0; c < rows.length; c++) {
          visit(i, c, Math.max(0, norms[i]! + norms[rows[c]!]! - 2 * dots[(i - from) * rows.length + c]!));
        }
      }
    }
  };
  /** A row drawn with probability proportional to its squared distance to the nearest centre. */
  const draw = (total: number) => {
    // Every row already sits on a centre: any row will do.
    if (!(total > 0)) return Math.floor(random() * n);
    let target = random() * total;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) return i;
    }
    return n - 1;
  };
  let chosen = Math.floor(random() * n);
  let total = 0;
  distancesTo([chosen], (i, _c, squared) => {
    nearest[i] = squared;
    total += squared;
  });
  for (let c = 0; ; c++) {
    for (let t = 0; t < d; t++) centroids[c * d + t] = x[chosen * d + t]!;
    if (c === k - 1) return centroids;
    const candidates = Array.from({ length: trials }, () => draw(total));
    const potentials = new Float64Array(trials);
    distancesTo(candidates, (i, t, squared) => {
      const closer = Math.min(nearest[i]!, squared);
      reached[i * trials + t] = closer;
      potentials[t]! += closer;
    });
    const best = potentials.indexOf(Math.min(...potentials));
    chosen = candidates[best]!;
    total = potentials[best]!;
    for (let i = 0; i < n; i++) nearest[i] = reached[i * trials + best]!;
  }
}

/** k-means of the rows of `e` into min(k, rows) clusters. */
export function kmeans(e: Embeddings, k: number, options: KMeansOptions = {}): KMeans {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  if (n === 0) throw new Error('k-means needs at least one row');
  const clusters = Math.max(1, Math.min(k, n));
  const random = seededRandom(options.seed ?? 0);
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const tolerance = (options.tolerance ?? TOLERANCE) * meanVariance(e);
  const norms = rowNorms(e);
  // Seeding looks at every row once per centre and candidate; on a large set a sample places the centres as
  // well.
  const seeding = n > SEEDING_ROWS ? pickRows(e, sampleIndices(n, SEEDING_ROWS, random)) : e;
  const centroids = seedCentroids(seeding, seeding === e ? norms : rowNorms(seeding), clusters, random);
  const centroidNorms = new Float64Array(clusters);
  const updateCentroidNorms = () => {
    for (let j = 0; j < clusters; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += centroids[j * d + t]! * centroids[j * d + t]!;
      centroidNorms[j] = s;
    }
  };
  updateCentroidNorms();

  const labels = new Int32Array(n);
  // Elkan's bounds: an upper bound on each row's distance to its centroid, and a lower bound on its distance
  // to every centroid.
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * clusters);
  const distance = (i: number, j: number) => {
    let dot = 0;
    for (let t = 0; t < d; t++) dot += x[i * d + t]! * centroids[j * d + t]!;
    return Math.sqrt(Math.max(0, norms[i]! + centroidNorms[j]! - 2 * dot));
  };
  /** Every distance of rows [from, to): their exact bounds, and each row's nearest centroid to `assign`. */
  const block = new Float64Array(ROW_BLOCK * clusters);
  const allDistances = (from: number, to: number, assign: (i: number, nearest: number) => void) => {
    dotBlock(x, from, to, centroids, 0, clusters, d, block, 0, clusters);
    for (let i = from; i < to; i++) {
      let best = 0;
      for (let j = 0; j < clusters; j++) {
        const dot = block[(i - from) * clusters + j]!;
        const dj = Math.sqrt(Math.max(0, norms[i]! + centroidNorms[j]! - 2 * dot));
        lower[i * clusters + j] = dj;
        if (dj < lower[i * clusters + best]!) best = j;
      }
      upper[i] = lower[i * clusters + best]!;
      assign(i, best);
    }
  };
  for (let from = 0; from < n; from += ROW_BLOCK) {
    allDistances(from, Math.min(n, from + ROW_BLOCK), (i, nearest) => {
      labels[i] = nearest;
    });
  }

  const sums = new Float64Array(clusters * d);
  const sizes = new Int32Array(clusters);
  const previous = new Float64Array(clusters * d);
  const moved = new Float64Array(clusters);
  const between = new Float64Array(clusters * clusters);
  const half = new Float64Array(clusters);
  // Right after the first centroid update nearly every bound fails: start with every distance.
  let dense = true;
  let iterations = 0;
  let converged = false;
  // Each cluster's sum and size, kept up to date as rows change clusters.
  for (let i = 0; i < n; i++) {
    const j = labels[i]!;
    sizes[j]!++;
    for (let t = 0; t < d; t++) sums[j * d + t]! += x[i * d + t]!;
  }
  while (iterations < maxIterations) {
    iterations++;
    // New centroids: the means of their rows.
    previous.set(centroids);
    for (let j = 0; j < clusters; j++) {
      if (sizes[j] === 0) continue;
      for (let t = 0; t < d; t++) centroids[j * d + t] = sums[j * d + t]! / sizes[j]!;
    }
    // An empty cluster takes the row farthest from its centroid (when that row is not alone in its cluster).
    for (let j = 0; j < clusters; j++) {
      if (sizes[j] !== 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) {
        if (sizes[labels[i]!]! > 1 && (far < 0 || upper[i]! > upper[far]!)) far = i;
      }
      if (far < 0 || !(upper[far]! > 0)) continue;
      const from = labels[far]!;
      sizes[from]!--;
      sizes[j] = 1;
      labels[far] = j;
      upper[far] = 0;
      lower.fill(0, far * clusters, (far + 1) * clusters);
      for (let t = 0; t < d; t++) {
        const value = x[far * d + t]!;
        centroids[j * d + t] = value;
        sums[j * d + t] = value;
        sums[from * d + t]! -= value;
        centroids[from * d + t] = sums[from * d + t]! / sizes[from]!;
      }
    }
    updateCentroidNorms();
    // The bounds follow the centroids: an upper bound grows by its centroid's move, each lower bound shrinks
    // by its centroid's.
    let shift = 0;
    for (let j = 0; j < clusters; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const delta = centroids[j * d + t]! - previous[j * d + t]!;
        s += delta * delta;
      }
      shift += s;
      moved[j] = Math.sqrt(s);
    }
    for (let i = 0; i < n; i++) {
      upper[i]! += moved[labels[i]!]!;
      for (let j = 0; j < clusters; j++) {
        lower[i * clusters + j] = Math.max(0, lower[i * clusters + j]! - moved[j]!);
      }
    }
    // Half the distances between centroids: a row closer to its own than half the way to another stays.
    for (let j = 0; j < clusters; j++) {
      let nearest = Infinity;
      for (let m = 0; m < clusters; m++) {
        if (m === j) continue;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const delta = centroids[j * d + t]! - centroids[m * d + t]!;
          s += delta * delta;
        }
        between[j * clusters + m] = Math.sqrt(s) / 2;
        nearest = Math.min(nearest, between[j * clusters + m]!);
      }
      half[j] = nearest;
    }
    let changed = 0;
    const move = (i: number, to: number) => {
      const from = labels[i]!;
      if (to === from) return;
      labels[i] = to;
      changed++;
      sizes[from]!--;
      sizes[to]!++;
      for (let t = 0; t < d; t++) {
        const value = x[i * d + t]!;
        sums[from * d + t]! -= value;
        sums[to * d + t]! += value;
      }
    };
    // Distances the bounds could not rule out.
    let computed = 0;
    if (dense) {
      // Most rows would need most distances anyway: compute them all.
      for (let from = 0; from < n; from += ROW_BLOCK) {
        const to = Math.min(n, from + ROW_BLOCK);
        // What the bounds would have saved, to tell when to go back to them.
        for (let i = from; i < to; i++) {
          const a = labels[i]!;
          if (upper[i]! <= half[a]!) continue;
          for (let j = 0; j < clusters; j++) {
            const bound = Math.max(lower[i * clusters + j]!, between[a * clusters + j]!);
            if (j !== a && upper[i]! > bound) computed++;
          }
        }
        allDistances(from, to, move);
      }
    } else {
      for (let i = 0; i < n; i++) {
        let a = labels[i]!;
        if (upper[i]! <= half[a]!) continue;
        let u = upper[i]!;
        let tight = false;
        for (let j = 0; j < clusters; j++) {
          if (j === a || u <= lower[i * clusters + j]! || u <= between[a * clusters + j]!) continue;
          if (!tight) {
            u = distance(i, a);
            lower[i * clusters + a] = u;
            tight = true;
            computed++;
            if (u <= lower[i * clusters + j]! || u <= between[a * clusters + j]!) continue;
          }
          const dj = distance(i, j);
          lower[i * clusters + j] = dj;
          computed++;
          if (dj < u) {
            a = j;
            u = dj;
          }
        }
        upper[i] = u;
        move(i, a);
      }
    }
    dense = computed > (n * clusters) / 2;
    // Done when nothing moved (Lloyd's fixed point), or when the centroids barely moved: the labels are then
    // those of the nearest centroids, which are within `tolerance` of the means of the rows.
    if (changed === 0 || shift <= tolerance) {
      converged = true;
      break;
    }
  }
  return { labels, centroids, k: clusters, inertia: inertiaOf(e, labels, centroids), iterations, converged };
}

/** Sum of squared distances of the rows to the centroids of their labels. */
export function inertiaOf(e: Embeddings, labels: Int32Array, centroids: Float64Array): number {
  const { data: x, dims: d } = e;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]! * d;
    for (let t = 0; t < d; t++) {
      const delta = x[i * d + t]! - centroids[c + t]!;
      total += delta * delta;
    }
  }
  return total;
}
