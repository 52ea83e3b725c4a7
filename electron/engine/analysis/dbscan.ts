/**
 * DBSCAN (Ester et al., 1996) on cosine distance, in two blocked passes over the pairs instead of a region
 * query per point: the first counts each row's neighbours within eps (itself included) to find the core
 * points, the second joins neighbouring core points (union–find) and gives each border point the cluster of
 * its first core neighbour. The clusters are DBSCAN's; a border point reachable from two clusters goes to the
 * one of its lowest-numbered core neighbour. O(n²·d) time, O(n) memory.
 */
import { ClipSortError } from '../errors.js';
import { disjointSets } from './disjointSets.js';
import { blockDots, ROW_BLOCK, rowCount, type Embeddings } from './embeddings.js';

/** Beyond this many images the pairwise passes take minutes; k-means has no such limit. */
export const DBSCAN_LIMIT = 20_000;

/** Columns per block: with ROW_BLOCK rows, the dot products stay in cache. */
const COLUMN_BLOCK = 1024;

/** Throws a `too-many-images` error a person can act on when `n` rows are too many for a pairwise method. */
export function assertPairwiseSize(n: number, limit: number, method: string): void {
  if (n > limit) {
    throw new ClipSortError(
      'too-many-images',
      `${method} compares every pair of images and handles at most ${limit.toLocaleString('en')}; ` +
        `this library has ${n.toLocaleString('en')}. Use k-means instead.`,
    );
  }
}

/** Calls `visit(i, j)` for every pair i < j of rows whose cosine distance is at most `eps`. */
function closePairs(e: Embeddings, eps: number, visit: (i: number, j: number) => void): void {
  const n = rowCount(e);
  const threshold = 1 - eps;
  const dots = new Float64Array(ROW_BLOCK * COLUMN_BLOCK);
  for (let from = 0; from < n; from += ROW_BLOCK) {
    const to = Math.min(n, from + ROW_BLOCK);
    for (let start = from; start < n; start += COLUMN_BLOCK) {
      const end = Math.min(n, start + COLUMN_BLOCK);
      const width = end - start;
      blockDots(e, from, to, e, start, end, dots);
      for (let i = from; i < to; i++) {
        const row = (i - from) * width;
        for (let j = Math.max(start, i + 1); j < end; j++) {
          if (dots[row + j - start]! >= threshold) visit(i, j);
        }
      }
    }
  }
}

/**
 * DBSCAN labels: 0…clusters−1, numbered in order of each cluster's first row, and −1 for noise. A row is a
 * core point when at least `minPts` rows (itself included) lie within cosine distance `eps`.
 */
export function dbscan(e: Embeddings, eps: number, minPts: number): Int32Array {
  const n = rowCount(e);
  assertPairwiseSize(n, DBSCAN_LIMIT, 'DBSCAN');
  const counts = new Int32Array(n).fill(1);
  closePairs(e, eps, (i, j) => {
    counts[i]!++;
    counts[j]!++;
  });
  const core = counts.map((count) => (count >= minPts ? 1 : 0));

  const { find, union } = disjointSets(n);
  const firstCore = new Int32Array(n).fill(-1);
  const noteCore = (border: number, coreRow: number) => {
    if (firstCore[border]! < 0 || coreRow < firstCore[border]!) firstCore[border] = coreRow;
  };
  closePairs(e, eps, (i, j) => {
    if (core[i] && core[j]) union(i, j);
    else if (core[i]) noteCore(j, i);
    else if (core[j]) noteCore(i, j);
  });

  const labels = new Int32Array(n).fill(-1);
  const clusterOf = new Map<number, number>();
  const clusterOfRoot = (root: number) => {
    let id = clusterOf.get(root);
    if (id === undefined) clusterOf.set(root, (id = clusterOf.size));
    return id;
  };
  for (let i = 0; i < n; i++) {
    if (core[i]) labels[i] = clusterOfRoot(find(i));
    else if (firstCore[i]! >= 0) labels[i] = clusterOfRoot(find(firstCore[i]!));
  }
  return labels;
}
