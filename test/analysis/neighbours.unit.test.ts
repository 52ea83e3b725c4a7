import { describe, expect, it } from 'vitest';
import { kDistance } from '../../electron/engine/analysis/clustering.js';
import { kDistances, kneeIndex, nearestNeighbours } from '../../electron/engine/analysis/neighbours.js';
import { blobs } from './data.js';

describe('nearest neighbours', () => {
  it('finds the exact k nearest rows by cosine, itself first', () => {
    const data = blobs([20, 17], 6, 0.5, 2);
    const n = 37;
    const { indices, distances, k } = nearestNeighbours(data, data, 4);
    expect(k).toBe(4);
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let t = 0; t < 6; t++) s += data.data[i * 6 + t]! * data.data[j * 6 + t]!;
        return { j, d: j === i ? 0 : 1 - s };
      }).sort((a, b) => a.d - b.d || (a.j === i ? -1 : b.j === i ? 1 : a.j - b.j));
      expect(indices[i * 4]).toBe(i);
      for (let t = 0; t < 4; t++) {
        expect(indices[i * 4 + t]).toBe(all[t]!.j);
        expect(distances[i * 4 + t]).toBeCloseTo(all[t]!.d, 6);
      }
    }
  });

  it('finds the nearest rows of another set by Euclidean distance', () => {
    const queries = { data: Float32Array.from([0, 0, 5, 5, 1, 0.2]), dims: 2 };
    const base = { data: Float32Array.from([1, 0, 4, 4, 0, 3, 6, 5]), dims: 2 };
    const { indices, distances } = nearestNeighbours(queries, base, 2, 'euclidean');
    expect(Array.from(indices)).toEqual([0, 2, 3, 1, 0, 2]);
    const expected = [1, 3, 1, Math.SQRT2, 0.2, Math.hypot(1, 2.8)];
    expected.forEach((d, i) => expect(distances[i]).toBeCloseTo(d, 6));
  });

  it('draws the k-distance curve in increasing order', () => {
    // Points on a circle at angles 0°, 10°, 20°, 30° and 90°: the 2nd nearest (itself first) is 10° away for
    // the first four and 60° for the last.
    const angles = [0, 10, 20, 30, 90].map((a) => (a * Math.PI) / 180);
    const data = Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));
    const curve = kDistances({ data, dims: 2 }, 2);
    const tenDegrees = 1 - Math.cos(Math.PI / 18);
    expect(Array.from(curve.slice(0, 4)).every((d) => Math.abs(d - tenDegrees) < 1e-6)).toBe(true);
    expect(curve[4]).toBeCloseTo(1 - Math.cos(Math.PI / 3), 6);
  });

  it('puts the knee where a slow rise turns steep', () => {
    // 90 distances rising by 0.001, then 10 rising by 0.08: the knee is the last of the slow ones.
    const curve = Array.from({ length: 100 }, (_, i) => (i < 90 ? 0.1 + 0.001 * i : 0.189 + 0.08 * (i - 89)));
    expect(kneeIndex(curve)).toBe(89);
    expect(kneeIndex([0.3, 0.3, 0.3])).toBe(2);
  });

  it('suggests an eps between the blobs’ inner distances and the distances across them', () => {
    const data = blobs([40, 40, 40], 16, 0.05, 9);
    const { distances, suggestedEps } = kDistance({ embeddings: data, minPts: 5 });
    expect(distances.length).toBe(120);
    // Within a blob, rows are about 2 · 16 · 0.05² ≈ 0.08 apart; across blobs, about 1.
    expect(suggestedEps).toBeGreaterThan(0.02);
    expect(suggestedEps).toBeLessThan(0.3);
  });
});
