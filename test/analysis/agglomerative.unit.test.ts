import { agnes } from 'ml-hclust';
import { describe, expect, it } from 'vitest';
import {
  agglomerative,
  AGGLOMERATIVE_LIMIT,
  cutTree,
  linkageTree,
  LINKAGE_METHODS,
} from '../../electron/engine/analysis/agglomerative.js';
import { adjustedRand, blobs } from './data.js';

describe('agglomerative clustering', () => {
  it('recovers well-separated blobs with every linkage', () => {
    const data = blobs([25, 15, 30, 10], 20, 0.05, 8);
    for (const linkage of LINKAGE_METHODS) {
      expect(adjustedRand(agglomerative(data, 4, linkage), data.labels)).toBe(1);
    }
  });

  it('cuts the same trees as ml-hclust on overlapping data', () => {
    const data = blobs([20, 20, 20], 5, 0.5, 9);
    const n = 60;
    const dots = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let t = 0; t < 5; t++) s += data.data[i * 5 + t]! * data.data[j * 5 + t]!;
        return s;
      }),
    );
    for (const linkage of LINKAGE_METHODS) {
      // Ward is Lance–Williams on squared Euclidean distances: 2 (1 − cos) for unit vectors.
      const scale = linkage === 'ward' ? 2 : 1;
      const distances = dots.map((row, i) => row.map((dot, j) => (i === j ? 0 : scale * (1 - dot))));
      const tree = agnes(distances, { method: linkage, isDistanceMatrix: true });
      const merges = linkageTree(data, linkage);
      expect(merges).toHaveLength(n - 1);
      for (let i = 1; i < merges.length; i++)
        expect(merges[i]!.height).toBeGreaterThanOrEqual(merges[i - 1]!.height);
      for (const k of [2, 3, 5, 8]) {
        const theirs = new Int32Array(n);
        tree.group(k).children.forEach((group, c) => group.indices().forEach((i) => (theirs[i] = c)));
        expect(adjustedRand(cutTree(n, merges, k), theirs)).toBe(1);
      }
    }
  });

  it('reports merge heights in the linkage’s own units', () => {
    // Three unit vectors at 0°, 60° and 180°: the first merge joins 0° and 60° at cosine distance 0.5.
    const data = { data: new Float32Array([1, 0, 0.5, Math.sqrt(3) / 2, -1, 0]), dims: 2 };
    const [average] = linkageTree(data, 'average');
    expect(average).toMatchObject({ a: 0, b: 1, size: 2 });
    expect(average!.height).toBeCloseTo(0.5, 6);
    // Ward's height is the Euclidean distance √(2 · 0.5) = 1 for two singletons.
    expect(linkageTree(data, 'ward')[0]!.height).toBeCloseTo(1, 6);
    // The 180° row then joins at the mean (1.5 + 2) / 2 and the maximum 2 of its distances.
    expect(linkageTree(data, 'average')[1]!.height).toBeCloseTo(1.75, 6);
    expect(linkageTree(data, 'complete')[1]!.height).toBeCloseTo(2, 6);
  });

  it('refuses libraries too large for a distance matrix', () => {
    const many = { data: new Float32Array(AGGLOMERATIVE_LIMIT + 1), dims: 1 };
    expect(() => agglomerative(many, 3, 'average')).toThrow(
      expect.objectContaining({ code: 'too-many-images' }),
    );
  });
});
