import { describe, expect, it } from 'vitest';
import { parseInput } from '../../electron/api/contract/index.js';
import {
  bestSilhouetteK,
  clusterInput,
  followMoves,
  mostlyClass,
  type ClusterParams,
} from '../../renderer/src/lib/clusterResult.js';

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

describe('where k starts', () => {
  it('takes the k of the highest silhouette, the first of equals', () => {
    const points = [
      { k: 2, silhouette: 0.4 },
      { k: 3, silhouette: 0.7 },
      { k: 4, silhouette: 0.7 },
      { k: 5, silhouette: null },
    ];
    expect(bestSilhouetteK(points)).toBe(3);
    expect(bestSilhouetteK([{ k: 2, silhouette: -0.2 }])).toBe(2);
    expect(bestSilhouetteK([{ k: 2, silhouette: null }])).toBeUndefined();
    expect(bestSilhouetteK([])).toBeUndefined();
  });
});

describe('the class a group mostly holds', () => {
  it('counts the folder classes of references and sorted images out of the whole group', () => {
    const files = ['Dataset/blue/a.png', 'Classes/blue/b.png', 'Images/c.png', 'Dataset/red/d.png'];
    expect(mostlyClass(files)).toEqual({ name: 'blue', count: 2, total: 4 });
  });

  it('gives ties to the first name, and nothing where no image has a class', () => {
    expect(mostlyClass(['Dataset/red/a.png', 'Dataset/blue/b.png'])?.name).toBe('blue');
    expect(mostlyClass(['Images/a.png', 'Images/b.png'])).toBeNull();
    expect(mostlyClass([])).toBeNull();
  });
});
