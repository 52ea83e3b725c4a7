import clustering from 'density-clustering';
import { describe, expect, it } from 'vitest';
import { dbscan, DBSCAN_LIMIT } from '../../electron/engine/analysis/dbscan.js';
import { adjustedRand, blobs, normaliseRows } from './data.js';

const rowsOf = (data: Float32Array, dims: number) =>
  Array.from({ length: data.length / dims }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
const cosineDistance = (a: number[], b: number[]) => 1 - a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('DBSCAN', () => {
  it('recovers well-separated blobs and calls the far-off rows noise', () => {
    const data = blobs([30, 20, 25, 3], 24, 0.05, 4);
    // The last "blob" of three rows is too small for minPts = 5: noise.
    const labels = dbscan(data, 0.2, 5);
    expect(Array.from(labels.subarray(75))).toEqual([-1, -1, -1]);
    expect(adjustedRand(labels.subarray(0, 75), data.labels.subarray(0, 75))).toBe(1);
    expect(Math.max(...labels)).toBe(2);
    // Numbered in order of their first row.
    expect([labels[0], labels[30], labels[50]]).toEqual([0, 1, 2]);
  });

  it('agrees with density-clustering on overlapping data: the same core clusters and the same noise', () => {
    const data = blobs([40, 40, 40], 6, 0.35, 12);
    const dims = data.dims;
    const eps = 0.11;
    const minPts = 4;
    const labels = dbscan(data, eps, minPts);
    const rows = rowsOf(data.data, dims);
    const reference = new clustering.DBSCAN().run(rows, eps, minPts, cosineDistance);
    const theirs = new Int32Array(rows.length).fill(-1);
    reference.forEach((members, c) => members.forEach((i) => (theirs[i] = c)));
    const core = rows.map((row) => rows.filter((other) => cosineDistance(row, other) < eps).length >= minPts);
    const coreRows = core.flatMap((isCore, i) => (isCore ? [i] : []));
    expect(coreRows.length).toBeGreaterThan(20);
    expect(coreRows.length).toBeLessThan(rows.length);
    expect(reference.length).toBeGreaterThan(1);
    expect(
      adjustedRand(
        coreRows.map((i) => labels[i]!),
        coreRows.map((i) => theirs[i]!),
      ),
    ).toBe(1);
    const noise = (l: ArrayLike<number>) => Array.from(l).flatMap((label, i) => (label < 0 ? [i] : []));
    expect(noise(labels)).toEqual(noise(theirs));
  });

  it('makes every row a cluster of its own with minPts 1 and a tiny eps', () => {
    const data = { data: normaliseRows(Float32Array.from([1, 0, 0, 1, 1, 1]), 2), dims: 2 };
    expect(Array.from(dbscan(data, 1e-6, 1))).toEqual([0, 1, 2]);
    expect(Array.from(dbscan(data, 1e-6, 2))).toEqual([-1, -1, -1]);
  });

  it('refuses libraries too large to compare every pair', () => {
    const many = { data: new Float32Array(DBSCAN_LIMIT + 1), dims: 1 };
    expect(() => dbscan(many, 0.1, 5)).toThrow(expect.objectContaining({ code: 'too-many-images' }));
  });
});
