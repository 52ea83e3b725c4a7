import './runes.js';
import { describe, expect, it } from 'vitest';
import { Clusters } from '../../renderer/src/lib/clusters.svelte.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';
import { fakeEngine } from './fakeEngine.js';

const sweep = {
  points: [
    { k: 2, inertia: 9, silhouette: 0.3 },
    { k: 3, inertia: 5, silhouette: 0.8 },
    { k: 4, inertia: 4, silhouette: 0.6 },
  ],
};

describe('the clusters state', () => {
  it('starts k at the best silhouette once the sweep is known', async () => {
    const clusters = new Clusters(fakeEngine({ 'clusters.elbow': () => sweep }).client, createStateBus());
    await clusters.loadElbow();
    expect(clusters.params.k).toBe(3);
    // A later sweep leaves the k a person chose.
    clusters.params.k = 7;
    await clusters.loadElbow();
    expect(clusters.params.k).toBe(7);
  });

  it('keeps a k the person chose while the first sweep ran', async () => {
    const clusters = new Clusters(fakeEngine({ 'clusters.elbow': () => sweep }).client, createStateBus());
    const loading = clusters.loadElbow();
    clusters.params.k = 9;
    await loading;
    expect(clusters.params.k).toBe(9);
  });
});
