import { describe, expect, it } from 'vitest';
import { kmeans } from '../../electron/engine/analysis/kmeans.js';
import { project, PROJECTION_METHODS } from '../../electron/engine/analysis/projection.js';
import { adjustedRand, blobs } from './data.js';

/** Whether the 2D layout keeps the blobs apart: k-means on the coordinates finds them exactly. */
function separates(coordinates: Float64Array, labels: Int32Array, k: number): number {
  const layout = { data: Float32Array.from(coordinates), dims: 2 };
  return adjustedRand(kmeans(layout, k, { seed: 3 }).labels, labels);
}

describe('2D projections', () => {
  const data = blobs([30, 25, 35], 16, 0.05, 2);

  it.each(PROJECTION_METHODS)(
    '%s keeps well-separated blobs apart, the same for the same seed',
    async (method) => {
      const first = await project(data, method, 1);
      expect(first.coordinates).toHaveLength(180);
      expect(first.coordinates.every(Number.isFinite)).toBe(true);
      expect(first.fitted.every((f) => f === 1)).toBe(true);
      expect(separates(first.coordinates, data.labels, 3)).toBe(1);
      expect((await project(data, method, 1)).coordinates).toEqual(first.coordinates);
      if (method === 'pca') expect(first.explained).toHaveLength(2);
      else {
        expect(first.explained).toBeNull();
        expect((await project(data, method, 2)).coordinates).not.toEqual(first.coordinates);
      }
    },
  );

  it.each(['umap', 'tsne'] as const)(
    '%s fits a sample of a large set and places the rest among it',
    async (method) => {
      const { coordinates, fitted } = await project(data, method, 4, 45);
      expect(fitted.reduce((a, b) => a + b, 0)).toBe(45);
      expect(separates(coordinates, data.labels, 3)).toBe(1);
    },
  );

  it('handles a library of one image, or none', async () => {
    expect((await project({ data: new Float32Array(0), dims: 4 }, 'umap', 0)).coordinates).toHaveLength(0);
    expect(
      Array.from((await project({ data: new Float32Array([1, 0]), dims: 2 }, 'tsne', 0)).coordinates),
    ).toEqual([0, 0]);
  });
});
