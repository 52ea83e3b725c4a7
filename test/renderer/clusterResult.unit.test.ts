import { describe, expect, it } from 'vitest';
import { parseInput } from '../../electron/api/contract/index.js';
import { clusterInput, followMoves, type ClusterParams } from '../../renderer/src/lib/clusterResult.js';

const params: ClusterParams = { method: 'kmeans', k: 5, eps: 0.2, minPts: 3, linkage: 'average' };

describe('the clustering asked for', () => {
  it.each([
    ['kmeans', { method: 'kmeans', k: 5 }],
    ['dbscan', { method: 'dbscan', eps: 0.2, minPts: 3 }],
    ['agglomerative', { method: 'agglomerative', k: 5, linkage: 'average' }],
  ] as const)('sends %s only its own parameters, in a shape the contract accepts', (method, input) => {
    const sent = clusterInput({ ...params, method });
    expect(sent).toEqual(input);
    expect(parseInput('clusters.run', sent).ok).toBe(true);
  });
});

describe('following moved images', () => {
  const result = {
    method: 'dbscan' as const,
    clusters: [
      { id: 0, files: ['Dataset/a/1.jpg', 'Dataset/a/2.jpg'] },
      { id: 1, files: ['Images/3.jpg'] },
    ],
    noise: ['Images/4.jpg'],
    silhouette: 0.4,
  };

  it('puts each moved file under its new path and leaves the others', () => {
    const moved = followMoves(result, [
      { from: 'Dataset/a/2.jpg', to: 'Classes/new/2.jpg' },
      { from: 'Images/4.jpg', to: 'Classes/new/4 (2).jpg' },
    ]);
    expect(moved).toEqual({
      method: 'dbscan',
      clusters: [
        { id: 0, files: ['Dataset/a/1.jpg', 'Classes/new/2.jpg'] },
        { id: 1, files: ['Images/3.jpg'] },
      ],
      noise: ['Classes/new/4 (2).jpg'],
      silhouette: 0.4,
    });
    // The grouping it came from is left as it was.
    expect(result.clusters[0]!.files[1]).toBe('Dataset/a/2.jpg');
  });

  it('changes nothing when nothing moved', () => {
    expect(followMoves(result, [])).toEqual(result);
  });
});
