import { describe, expect, it } from 'vitest';
import { pickRows } from '../../electron/engine/analysis/embeddings.js';
import { nearestNeighbours } from '../../electron/engine/analysis/neighbours.js';
import { nearestNeighboursOnnx, projectOntoOnnx } from '../../electron/engine/analysis/onnxNeighbours.js';
import { pca, projectOnto } from '../../electron/engine/analysis/pca.js';
import { blobs } from './data.js';

/** Neighbour lists agree where the distances do: an index may differ only where two distances nearly tie. */
function expectSameNeighbours(
  native: { indices: Int32Array; distances: Float64Array; k: number },
  exact: { indices: Int32Array; distances: Float64Array; k: number },
) {
  expect(native.k).toBe(exact.k);
  let swapped = 0;
  for (let t = 0; t < exact.indices.length; t++) {
    expect(native.distances[t]).toBeCloseTo(exact.distances[t]!, 4);
    if (native.indices[t] !== exact.indices[t]) swapped++;
  }
  expect(swapped).toBeLessThanOrEqual(exact.indices.length / 1000);
}

describe('nearest neighbours and PCA coordinates through onnxruntime', () => {
  const data = blobs([400, 300, 500], 32, 0.3, 5);

  it('finds the cosine neighbours of the rows among themselves, each row first', async () => {
    const native = await nearestNeighboursOnnx(data, data, 7);
    expectSameNeighbours(native, nearestNeighbours(data, data, 7));
    for (let i = 0; i < 1200; i++) expect(native.indices[i * 7]).toBe(i);
  });

  it('keeps a row first when it has exact copies with lower indices', async () => {
    const row = data.data.subarray(0, 32);
    const copies = { data: new Float32Array(4 * 32), dims: 32 };
    for (let i = 0; i < 4; i++) copies.data.set(row, i * 32);
    const { indices, distances } = await nearestNeighboursOnnx(copies, copies, 2);
    expect(Array.from(indices)).toEqual([0, 1, 1, 0, 2, 0, 3, 0]);
    expect(Array.from(distances, (d) => d < 1e-6)).toEqual(Array(8).fill(true));
  });

  it('finds Euclidean neighbours in another set, in blocks, and projects as pca.ts does', async () => {
    const fit = pca(data, 6, 1);
    const reduced = { data: await projectOntoOnnx(data, fit), dims: 6 };
    const exact = projectOnto(data, fit);
    reduced.data.forEach((value, i) => expect(value).toBeCloseTo(exact[i]!, 4));
    const base = pickRows(
      reduced,
      Int32Array.from({ length: 150 }, (_, i) => i * 8),
    );
    expectSameNeighbours(
      await nearestNeighboursOnnx(reduced, base, 5, 'euclidean'),
      nearestNeighbours(reduced, base, 5, 'euclidean'),
    );
  });

  it('answers empty inputs without running', async () => {
    const none = { data: new Float32Array(0), dims: 32 };
    expect((await nearestNeighboursOnnx(none, data, 3)).indices).toHaveLength(0);
    expect(await projectOntoOnnx(none, pca(data, 2, 0))).toHaveLength(0);
  });
});
