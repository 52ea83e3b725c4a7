/**
 * UMAP (McInnes et al., 2018) through umap-js, on cosine distance. The exact k nearest neighbours are
 * computed here (natively at scale) and handed over: umap-js's own approximate search (NN-descent with a
 * distance callback) is slower than the exact one at the sizes fitted.
 */
import { UMAP } from 'umap-js';
import { rowCount, type Embeddings } from './embeddings.js';
import { nearestNeighboursAtScale } from './atScale.js';
import { seededRandom } from './random.js';

/** UMAP's usual neighbourhood size. */
const NEIGHBOURS = 15;

/** A 2D UMAP embedding of the rows of `e` (at least three), row-major (x, y). */
export async function umap(e: Embeddings, seed = 0): Promise<Float64Array> {
  const n = rowCount(e);
  if (n < 3) throw new Error('UMAP needs at least three rows');
  const k = Math.min(NEIGHBOURS, n - 1);
  const knn = await nearestNeighboursAtScale(e, e, k);
  const table = (values: Int32Array | Float64Array) =>
    Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * k, (i + 1) * k)));
  const model = new UMAP({ nComponents: 2, nNeighbors: k, random: seededRandom(seed) });
  model.setPrecomputedKNN(table(knn.indices), table(knn.distances));
  const rows = Array.from({ length: n }, (_, i) => Array.from(e.data.subarray(i * e.dims, (i + 1) * e.dims)));
  const layout = model.fit(rows);
  return Float64Array.from(layout.flatMap(([x, y]) => [x!, y!]));
}
