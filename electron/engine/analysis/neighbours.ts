/**
 * Exact nearest neighbours on cosine distance, by blocked dot products (no index: in 512 dimensions none
 * helps).
 */
import { blockDots, ROW_BLOCK, rowCount, type Embeddings } from './embeddings.js';

export interface Neighbours {
  /** queries × k row indices into the base, nearest first. */
  indices: Int32Array;
  /** queries × k distances (cosine: 1 − dot), ascending. */
  distances: Float64Array;
  k: number;
}

/**
 * The `k` rows of `base` nearest to each row of `queries`, by cosine distance (unit rows) or Euclidean
 * distance. When `queries` is `base` itself, each row counts as its own nearest neighbour (distance 0), as
 * UMAP and the k-distance curve expect. Ties go to the lower index.
 */
export function nearestNeighbours(
  queries: Embeddings,
  base: Embeddings,
  k: number,
  metric: 'cosine' | 'euclidean' = 'cosine',
): Neighbours {
  const q = rowCount(queries);
  const m = rowCount(base);
  // Euclidean neighbours rank by 2·a·b − ‖b‖², which orders the rows of `base` as −‖a − b‖² does.
  const euclidean = metric === 'euclidean';
  const baseNorms = euclidean ? squaredNorms(base) : undefined;
  const queryNorms = euclidean ? squaredNorms(queries) : undefined;
  const kept = Math.min(k, m);
  const indices = new Int32Array(q * kept);
  const distances = new Float64Array(q * kept);
  const dots = new Float64Array(ROW_BLOCK * m);
  // Per query: the best `kept` similarities so far, kept sorted in descending order.
  const best = new Float64Array(kept);
  const bestIndex = new Int32Array(kept);
  for (let from = 0; from < q; from += ROW_BLOCK) {
    const to = Math.min(q, from + ROW_BLOCK);
    blockDots(queries, from, to, base, 0, m, dots);
    for (let i = from; i < to; i++) {
      const row = (i - from) * m;
      let size = 0;
      for (let j = 0; j < m; j++) {
        const dot = dots[row + j]!;
        const similarity = queries === base && i === j ? Infinity : baseNorms ? 2 * dot - baseNorms[j]! : dot;
        if (size === kept && !(similarity > best[kept - 1]!)) continue;
        let at = size < kept ? size++ : kept - 1;
        while (at > 0 && best[at - 1]! < similarity) {
          best[at] = best[at - 1]!;
          bestIndex[at] = bestIndex[at - 1]!;
          at--;
        }
        best[at] = similarity;
        bestIndex[at] = j;
      }
      for (let t = 0; t < kept; t++) {
        indices[i * kept + t] = bestIndex[t]!;
        const similarity = best[t]!;
        distances[i * kept + t] =
          similarity === Infinity
            ? 0
            : queryNorms
              ? Math.sqrt(Math.max(0, queryNorms[i]! - similarity))
              : Math.max(0, 1 - similarity);
      }
    }
  }
  return { indices, distances, k: kept };
}

/** Squared norms of the rows. */
export function squaredNorms(e: Embeddings): Float64Array {
  const { data, dims } = e;
  return Float64Array.from({ length: rowCount(e) }, (_, i) => {
    let s = 0;
    for (let t = 0; t < dims; t++) s += data[i * dims + t]! * data[i * dims + t]!;
    return s;
  });
}

/**
 * The k-distance curve for DBSCAN: every row's distance to its `minPts`-th nearest row, itself counted first,
 * in increasing order. A row is a core point of DBSCAN(eps, minPts) exactly when this distance is at most
 * eps.
 */
export function kDistances(e: Embeddings, minPts: number): Float64Array {
  const n = rowCount(e);
  if (n === 0) return new Float64Array(0);
  const { distances, k } = nearestNeighbours(e, e, minPts);
  return Float64Array.from({ length: n }, (_, i) => distances[i * k + k - 1]!).sort();
}

/**
 * The knee of an increasing curve: the point farthest below the straight line from its first point to its
 * last, both axes scaled to [0, 1] (the "Kneedle" criterion). For a k-distance curve that is where the
 * distances start to climb steeply, the usual choice of eps.
 */
export function kneeIndex(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n < 3) return n - 1;
  const first = sorted[0]!;
  const range = sorted[n - 1]! - first;
  if (!(range > 0)) return n - 1;
  let knee = 0;
  let farthest = -Infinity;
  for (let i = 0; i < n; i++) {
    const below = i / (n - 1) - (sorted[i]! - first) / range;
    if (below > farthest) {
      farthest = below;
      knee = i;
    }
  }
  return knee;
}
