import { describe, expect, it } from 'vitest';
import { sampleIndices, seededRandom } from '../../electron/engine/analysis/random.js';
import { adjustedRand, blobs } from './data.js';

describe('test data and agreement', () => {
  it('computes the adjusted Rand index of scikit-learn’s documented examples', () => {
    expect(adjustedRand([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRand([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRand([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714, 9);
    expect(adjustedRand([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('makes unit-length blobs, the same for the same seed', () => {
    const a = blobs([3, 4], 8, 0.1, 5);
    expect(Array.from(a.labels)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    for (let i = 0; i < 7; i++) {
      const row = a.data.subarray(i * 8, (i + 1) * 8);
      expect(row.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 5);
    }
    expect(blobs([3, 4], 8, 0.1, 5).data).toEqual(a.data);
    expect(blobs([3, 4], 8, 0.1, 6).data).not.toEqual(a.data);
  });

  it('samples distinct indices in order, reproducibly', () => {
    const sample = sampleIndices(100, 30, seededRandom(3));
    expect(new Set(sample).size).toBe(30);
    expect(Array.from(sample)).toEqual([...sample].sort((x, y) => x - y));
    expect(sample.every((i) => i >= 0 && i < 100)).toBe(true);
    expect(sampleIndices(100, 30, seededRandom(3))).toEqual(sample);
    expect(sampleIndices(10, 30, seededRandom(3)).length).toBe(10);
  });
});
