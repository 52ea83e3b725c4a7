/**
 * The clustering jobs: one grouping of the embeddings, the elbow curve for k-means, the k-distance curve for
 * DBSCAN.
 */
import { agglomerative, type Linkage } from './agglomerative.js';
import { dbscan } from './dbscan.js';
import { rowCount, type Embeddings } from './embeddings.js';
import { kmeans } from './kmeans.js';
import { kDistances, kneeIndex } from './neighbours.js';
import { silhouette } from './silhouette.js';

export const CLUSTER_METHODS = ['kmeans', 'dbscan', 'agglomerative'] as const;
export type ClusterMethod = (typeof CLUSTER_METHODS)[number];

/** Defaults: eight clusters as in scikit-learn, DBSCAN's usual minPts, and the elbow's range of k. */
export const DEFAULT_K = 8;
export const DEFAULT_MIN_PTS = 5;
export const DEFAULT_K_RANGE = { kMin: 2, kMax: 15 };
/** The smallest eps DBSCAN runs with when the knee suggests none (a library of identical images). */
const MIN_EPS = 1e-6;

export interface ClusterRequest {
  embeddings: Embeddings;
  method: ClusterMethod;
  k?: number;
  /** DBSCAN: the neighbourhood radius (cosine distance); the k-distance knee when absent. */
  eps?: number;
  minPts?: number;
  linkage?: Linkage;
  seed?: number;
}

export interface Clustering {
  /** The cluster of each row, −1 for DBSCAN's noise. */
  labels: Int32Array;
  /** Mean silhouette on cosine distance over the clustered rows; null with fewer than two clusters. */
  silhouette: number | null;
}

/** The k-distance curve and the eps at its knee. */
export function kDistance({
  embeddings,
  minPts = DEFAULT_MIN_PTS,
}: {
  embeddings: Embeddings;
  minPts?: number;
}): {
  distances: Float64Array;
  suggestedEps: number;
} {
  const distances = kDistances(embeddings, minPts);
  return { distances, suggestedEps: distances.length > 0 ? distances[kneeIndex(distances)]! : 0 };
}

/** Groups the rows of `embeddings` with one method. */
export function cluster(request: ClusterRequest): Clustering {
  const { embeddings, method, k = DEFAULT_K, minPts = DEFAULT_MIN_PTS, seed = 0 } = request;
  if (rowCount(embeddings) === 0) return { labels: new Int32Array(0), silhouette: null };
  let labels: Int32Array;
  switch (method) {
    case 'kmeans':
      labels = kmeans(embeddings, k, { seed }).labels;
      break;
    case 'agglomerative':
      labels = agglomerative(embeddings, k, request.linkage ?? 'ward');
      break;
    case 'dbscan': {
      const eps = request.eps ?? Math.max(MIN_EPS, kDistance({ embeddings, minPts }).suggestedEps);
      labels = dbscan(embeddings, eps, minPts);
      break;
    }
  }
  return { labels, silhouette: silhouette(embeddings, labels) };
}

/** k-means inertia and mean silhouette for each k from kMin to kMax (capped at the number of rows). */
export function elbow({
  embeddings,
  kMin = DEFAULT_K_RANGE.kMin,
  kMax = DEFAULT_K_RANGE.kMax,
  seed = 0,
}: {
  embeddings: Embeddings;
  kMin?: number;
  kMax?: number;
  seed?: number;
}): { k: number; inertia: number; silhouette: number | null }[] {
  const n = rowCount(embeddings);
  const points: { k: number; inertia: number; silhouette: number | null }[] = [];
  for (let k = kMin; k <= Math.min(kMax, n); k++) {
    const fit = kmeans(embeddings, k, { seed });
    points.push({ k, inertia: fit.inertia, silhouette: silhouette(embeddings, fit.labels) });
  }
  return points;
}
