import { describe, expect, it } from 'vitest';
import { silhouette } from '../../electron/engine/analysis/silhouette.js';
import { blobs } from './data.js';

/** The silhouette by its definition, O(n²): the reference. */
function bruteForce(data: Float32Array, dims: number, labels: Int32Array): number {
  const n = labels.length;
  const distance = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < dims; t++) s += data[i * dims + t]! * data[j * dims + t]!;
    return 1 - s;
  };
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0) continue;
    const byCluster = new Map<number, number[]>();
    for (let j = 0; j < n; j++) {
      if (j === i || labels[j]! < 0) continue;
      byCluster.set(labels[j]!, [...(byCluster.get(labels[j]!) ?? []), distance(i, j)]);
    }
    const own = byCluster.get(labels[i]!);
    if (!own) {
      scores.push(0);
      continue;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const a = mean(own);
    const b = Math.min(...[...byCluster].filter(([c]) => c !== labels[i]).map(([, xs]) => mean(xs)));
    scores.push((b - a) / Math.max(a, b));
  }
  return scores.reduce((x, y) => x + y, 0) / scores.length;
}

describe('silhouette on cosine distance', () => {
  it('matches a case worked by hand', () => {
    // Two clusters of two unit vectors; cosine distances 0.2 within each, 1, 1.6, 0.4 and 1 across.
    const data = new Float32Array([1, 0, 0.8, 0.6, 0, 1, -0.6, 0.8]);
    const labels = new Int32Array([0, 0, 1, 1]);
    // s = (b − a) / max(a, b): 1.1/1.3 for the outer points, 0.5/0.7 for the inner ones; the mean is 71/91.
    expect(silhouette({ data, dims: 2 }, labels)).toBeCloseTo(71 / 91, 6);
  });

  it('agrees with the definition, leaving out noise and scoring a lone row 0', () => {
    const data = blobs([12, 9, 7], 8, 0.7, 3);
    const labels = Int32Array.from(data.labels);
    labels[0] = -1;
    labels[5] = -1;
    labels[20] = 3;
    expect(silhouette(data, labels)).toBeCloseTo(bruteForce(data.data, data.dims, labels), 6);
  });

  it('is null with fewer than two clusters', () => {
    const data = blobs([5], 4, 0.1);
    expect(silhouette(data, new Int32Array(5))).toBeNull();
    expect(silhouette(data, new Int32Array([0, 0, -1, -1, 0]))).toBeNull();
  });
});
