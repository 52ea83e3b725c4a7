import { describe, expect, it } from 'vitest';
import { rowCount } from '../../electron/engine/analysis/embeddings.js';
import { inertiaOf, kmeans } from '../../electron/engine/analysis/kmeans.js';
import { elbow } from '../../electron/engine/analysis/clustering.js';
import { adjustedRand, blobs } from './data.js';

describe('k-means', () => {
  it('recovers well-separated blobs exactly', () => {
    const data = blobs([40, 25, 60, 30], 32, 0.05, 3);
    const fit = kmeans(data, 4, { seed: 1 });
    expect(fit.converged).toBe(true);
    expect(adjustedRand(fit.labels, data.labels)).toBe(1);
  });

  it('stops at Lloyd’s fixed point: each row at its nearest centroid, each centroid its rows’ mean', () => {
    const data = blobs([50, 50, 50], 16, 0.6, 4);
    const { labels, centroids, k, inertia } = kmeans(data, 5, { seed: 2, tolerance: 0 });
    const d = data.dims;
    const n = rowCount(data);
    for (let i = 0; i < n; i++) {
      const distances = Array.from({ length: k }, (_, j) => {
        let s = 0;
        for (let t = 0; t < d; t++) s += (data.data[i * d + t]! - centroids[j * d + t]!) ** 2;
        return s;
      });
      expect(distances[labels[i]!]).toBeLessThanOrEqual(Math.min(...distances) + 1e-9);
    }
    for (let j = 0; j < k; j++) {
      const members = Array.from(labels.keys()).filter((i) => labels[i] === j);
      expect(members.length).toBeGreaterThan(0);
      for (let t = 0; t < d; t++) {
        const mean = members.reduce((s, i) => s + data.data[i * d + t]!, 0) / members.length;
        expect(centroids[j * d + t]).toBeCloseTo(mean, 9);
      }
    }
    expect(inertia).toBeCloseTo(inertiaOf(data, labels, centroids), 9);
  });

  it('gives the same clusters for the same seed', () => {
    const data = blobs([30, 30, 30], 16, 0.8, 5);
    const a = kmeans(data, 6, { seed: 7 });
    const b = kmeans(data, 6, { seed: 7 });
    expect(b.labels).toEqual(a.labels);
    expect(b.inertia).toBe(a.inertia);
  });

  it('makes no more clusters than there are rows, and copes with identical rows', () => {
    const same = { data: new Float32Array([1, 0, 1, 0, 1, 0]), dims: 2 };
    const fit = kmeans(same, 5);
    expect(fit.k).toBe(3);
    expect(fit.inertia).toBe(0);
  });

  it('draws an elbow whose inertia falls as k grows, with the best silhouette at the true k', () => {
    const data = blobs([30, 30, 30, 30], 16, 0.1, 6);
    const points = elbow({ embeddings: data, kMin: 2, kMax: 8, seed: 1 });
    expect(points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < points.length; i++) expect(points[i]!.inertia).toBeLessThan(points[i - 1]!.inertia);
    const best = points.reduce((a, b) => (b.silhouette! > a.silhouette! ? b : a));
    expect(best.k).toBe(4);
  });
});
