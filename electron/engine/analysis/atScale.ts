/**
 * Nearest neighbours and PCA coordinates by whichever kernel is faster for the size: JavaScript for small
 * inputs, onnxruntime's (onnxNeighbours.ts, loaded only then) once the work pays for starting its session.
 */
import { rowCount, type Embeddings } from './embeddings.js';
import { nearestNeighbours, type Neighbours } from './neighbours.js';
import { projectOnto, type Pca } from './pca.js';

/** Multiply-adds from which the native kernels win: below, JavaScript takes a few tenths of a second. */
export const ONNX_FROM_MULTIPLY_ADDS = 2 ** 28;

/** `nearestNeighbours` (neighbours.ts), natively where that is faster. */
export async function nearestNeighboursAtScale(
  queries: Embeddings,
  base: Embeddings,
  k: number,
  metric: 'cosine' | 'euclidean' = 'cosine',
): Promise<Neighbours> {
  if (rowCount(queries) * rowCount(base) * queries.dims < ONNX_FROM_MULTIPLY_ADDS) {
    return nearestNeighbours(queries, base, k, metric);
  }
  return (await import('./onnxNeighbours.js')).nearestNeighboursOnnx(queries, base, k, metric);
}

/** `projectOnto` (pca.ts) as float32, natively where that is faster. */
export async function projectOntoAtScale(e: Embeddings, fit: Pca): Promise<Float32Array> {
  if (rowCount(e) * e.dims * fit.count < ONNX_FROM_MULTIPLY_ADDS)
    return Float32Array.from(projectOnto(e, fit));
  return (await import('./onnxNeighbours.js')).projectOntoOnnx(e, fit);
}
