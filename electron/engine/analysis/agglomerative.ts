/**
 * Agglomerative clustering on cosine distance with ward, average or complete linkage, by the
 * nearest-neighbour chain algorithm (Murtagh, 1983) with Lance–Williams updates: O(n²) time over the
 * condensed distance matrix, which is what bounds the size (n²/2 doubles). Ward works on squared Euclidean
 * distances, which for unit vectors are twice the cosine distances, so it is Ward's criterion on the same
 * geometry.
 */
import { blockDots, ROW_BLOCK, rowCount, type Embeddings } from './embeddings.js';
import { assertPairwiseSize } from './dbscan.js';
import { disjointSets } from './disjointSets.js';

export const LINKAGE_METHODS = ['ward', 'average', 'complete'] as const;
export type Linkage = (typeof LINKAGE_METHODS)[number];

/** 6,000 images make a 144 MB distance matrix and about five seconds of distances. */
export const AGGLOMERATIVE_LIMIT = 6_000;

/** One merge: the two clusters (each named by one of its rows), the linkage distance, and the new size. */
export interface Merge {
  a: number;
  b: number;
  height: number;
  size: number;
}

/** Position of pair (i, j), i ≠ j, in the condensed upper triangle of an n × n matrix. */
const pairIndex = (n: number, i: number, j: number) => {
  const [a, b] = i < j ? [i, j] : [j, i];
  return a * n - (a * (a + 1)) / 2 + (b - a - 1);
};

/** Condensed cosine distances (squared Euclidean ones for ward). */
function condensedDistances(e: Embeddings, linkage: Linkage): Float64Array {
  const n = rowCount(e);
  const out = new Float64Array((n * (n - 1)) / 2);
  const dots = new Float64Array(ROW_BLOCK * n);
  const scale = linkage === 'ward' ? 2 : 1;
  for (let from = 0; from < n; from += ROW_BLOCK) {
    const to = Math.min(n, from + ROW_BLOCK);
    blockDots(e, from, to, e, 0, n, dots);
    for (let i = from; i < to; i++) {
      const base = pairIndex(n, i, i + 1);
      for (let j = i + 1; j < n; j++)
        out[base + j - i - 1] = Math.max(0, scale * (1 - dots[(i - from) * n + j]!));
    }
  }
  return out;
}

/** The n − 1 merges of the hierarchy, lowest first. */
export function linkageTree(e: Embeddings, linkage: Linkage): Merge[] {
  const n = rowCount(e);
  assertPairwiseSize(n, AGGLOMERATIVE_LIMIT, 'Agglomerative clustering');
  const distances = condensedDistances(e, linkage);
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  const distance = (i: number, j: number) => distances[pairIndex(n, i, j)]!;
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const top = chain.at(-1)!;
    const before = chain.length > 1 ? chain.at(-2)! : -1;
    // The nearest active cluster to the top of the chain; the previous one wins ties, which ends the chain.
    let nearest = before;
    let best = before >= 0 ? distance(top, before) : Infinity;
    for (let j = 0; j < n; j++) {
      if (!active[j] || j === top) continue;
      const dj = distance(top, j);
      if (dj < best) {
        best = dj;
        nearest = j;
      }
    }
    if (nearest !== before) {
      chain.push(nearest);
      continue;
    }
    // Reciprocal nearest neighbours: merge them into `keep`.
    chain.length -= 2;
    const keep = Math.min(top, before);
    const gone = Math.max(top, before);
    const [si, sj] = [size[keep]!, size[gone]!];
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === keep || k === gone) continue;
      const dik = distance(keep, k);
      const djk = distance(gone, k);
      const sk = size[k]!;
      let merged: number;
      if (linkage === 'complete') merged = Math.max(dik, djk);
      else if (linkage === 'average') merged = (si * dik + sj * djk) / (si + sj);
      else merged = ((si + sk) * dik + (sj + sk) * djk - sk * best) / (si + sj + sk);
      distances[pairIndex(n, keep, k)] = merged;
    }
    active[gone] = 0;
    size[keep] = si + sj;
    remaining--;
    merges.push({ a: keep, b: gone, height: linkage === 'ward' ? Math.sqrt(best) : best, size: si + sj });
  }
  // The chain finds merges out of order; for these linkages sorting them gives the hierarchy.
  return merges.sort((x, y) => x.height - y.height);
}

/** Labels 0…k−1 of the hierarchy cut into `k` clusters (numbered in order of each cluster's first row). */
export function cutTree(n: number, merges: readonly Merge[], k: number): Int32Array {
  const { find, union } = disjointSets(n);
  for (const { a, b } of merges.slice(0, Math.max(0, n - k))) union(a, b);
  const ids = new Map<number, number>();
  return Int32Array.from({ length: n }, (_, i) => {
    const root = find(i);
    let id = ids.get(root);
    if (id === undefined) ids.set(root, (id = ids.size));
    return id;
  });
}

/** Agglomerative clusters of the rows of `e`, cut into min(k, rows) clusters. */
export function agglomerative(e: Embeddings, k: number, linkage: Linkage): Int32Array {
  const n = rowCount(e);
  if (n <= 1) return new Int32Array(n);
  return cutTree(n, linkageTree(e, linkage), Math.min(k, n));
}
