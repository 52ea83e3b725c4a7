import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { embedFiles } from '../../electron/engine/embedding/embedFiles.js';
import { listImageFiles } from '../../electron/engine/library/imageFiles.js';
import { adjustedRand } from '../analysis/data.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { unpacked } from '../helpers/mapAnswer.js';
import { run } from './runCommand.js';

const model = { modelDir: colourModelDir, threads: 1 };

/** Embeds every image now in the library, as sorting would. */
async function embedAll(api: ApiService): Promise<void> {
  const { root, index } = api.library();
  const files = await listImageFiles(root);
  const report = await embedFiles(root, files, await api.model.get(), index);
  expect(report.errors).toEqual([]);
}

/** The colour of a colour-library file by its folder or name (`Classes/red/…`, `Images/red-1.png`). */
const colourOf = (file: string) => {
  const [folder, second] = file.split('/');
  return folder === 'Images' ? second!.split('-')[0]! : second!;
};

describe('map and cluster commands', () => {
  let root: string;
  let api: ApiService;

  // One library for the file: references and inbox embedded, one inbox image sorted into Dataset/red/.
  beforeAll(async () => {
    root = path.join(await mkdtemp(path.join(os.tmpdir(), 'clipsort-analysis-')), 'Colours');
    await makeColourLibrary(root);
    api = await ApiService.open(root, { model });
    await embedAll(api);
    await run(api, 'review.assign', { file: 'Images/red-0.jpg', class: 'red' });
  });
  afterAll(async () => {
    await api.close();
    await rm(path.dirname(root), { recursive: true, force: true });
  });

  it('places every embedded image with its folder, kind and prediction', async () => {
    const first = unpacked(await run(api, 'map.points', {}));
    expect(first).toMatchObject({ method: 'pca', total: 20, fitted: 20, cached: false });
    expect(first.points.map((p) => p.file)).toEqual([...first.points.map((p) => p.file)].sort());
    const byFile = new Map(first.points.map((p) => [p.file, p]));
    expect(byFile.get('Classes/blue/ref-1.png')).toMatchObject({ kind: 'reference', class: 'blue' });
    expect(byFile.get('Dataset/red/red-0.jpg')).toMatchObject({ kind: 'sorted', class: 'red' });
    expect(byFile.get('Images/green-2.webp')).toMatchObject({ kind: 'inbox', class: null });
    expect(first.points.filter((p) => p.kind === 'inbox')).toHaveLength(11);
    // The classifier of the library's mode ranks each inbox and sorted image by its colour. (The colour model
    // sees one of the green references, a dark green, as blue: its prediction says so too.)
    for (const point of first.points) {
      if (point.kind !== 'reference') expect(point.predicted).toBe(colourOf(point.file));
      expect(point.predicted).not.toBeNull();
      expect(point.score).toBeGreaterThan(0);
      expect(point.margin).toBeGreaterThan(0);
      expect(Number.isFinite(point.x) && Number.isFinite(point.y)).toBe(true);
    }
    expect(first.explained).toHaveLength(2);
    expect(first.explained![0]).toBeGreaterThanOrEqual(first.explained![1]!);
    expect(first.explained![0]! + first.explained![1]!).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('draws UMAP and t-SNE maps that are the same for the same seed', async () => {
    for (const method of ['umap', 'tsne'] as const) {
      const map = unpacked(await run(api, 'map.points', { method, seed: 5 }));
      expect(map).toMatchObject({ method, seed: 5, explained: null });
      expect(map.fitted).toBe(map.total);
      // Another service on the library (one at a time holds it) starts with no maps in memory.
      await api.close();
      const other = await ApiService.open(root, { model });
      try {
        const repeated = unpacked(await run(other, 'map.points', { method, seed: 5 }));
        expect(repeated.cached).toBe(false);
        expect(repeated.points).toEqual(map.points);
        const reseeded = unpacked(await run(other, 'map.points', { method, seed: 6 }));
        expect(reseeded.points.map((p) => p.x)).not.toEqual(map.points.map((p) => p.x));
      } finally {
        await other.close();
        api = await ApiService.open(root, { model });
      }
    }
  });

  /** The colour each image shows to the model: the class its embedding is ranked first for. */
  async function coloursSeen(): Promise<Map<string, string>> {
    const { points } = unpacked(await run(api, 'map.points', {}));
    return new Map(points.map((p) => [p.file, p.predicted!]));
  }

  it('groups the images by colour with k-means and agglomerative clustering', async () => {
    const seen = await coloursSeen();
    for (const input of [
      { method: 'kmeans', k: 4 },
      { method: 'agglomerative', k: 4, linkage: 'average' },
      { method: 'agglomerative', k: 4, linkage: 'ward' },
      { method: 'agglomerative', k: 4, linkage: 'complete' },
    ]) {
      const result = await run(api, 'clusters.run', input);
      expect(result.clusters).toHaveLength(4);
      expect(result.noise).toEqual([]);
      const files = result.clusters.flatMap((c) => c.files);
      const labels = result.clusters.flatMap((c) => c.files.map(() => c.id));
      const colours = ['red', 'green', 'blue', 'yellow'];
      expect(
        adjustedRand(
          labels,
          files.map((file) => colours.indexOf(seen.get(file)!)),
        ),
      ).toBe(1);
      const sizes = result.clusters.map((c) => c.files.length);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      expect(result.silhouette).toBeGreaterThan(0.5);
    }
  });

  it('finds the colours with DBSCAN at the eps the k-distance curve suggests', async () => {
    const curve = await run(api, 'clusters.kDistance', { minPts: 3 });
    const seen = await coloursSeen();
    expect(curve.distances).toHaveLength(seen.size);
    expect(curve.distances).toEqual([...curve.distances].sort((a, b) => a - b));
    expect(curve.distances).toContain(curve.suggestedEps);
    const result = await run(api, 'clusters.run', {
      method: 'dbscan',
      eps: curve.suggestedEps,
      minPts: 3,
    });
    const colourOfCluster = (files: string[]) => new Set(files.map((file) => seen.get(file)));
    for (const cluster of result.clusters) expect(colourOfCluster(cluster.files).size).toBe(1);
    expect(new Set(result.clusters.map((c) => seen.get(c.files[0]!)))).toEqual(
      new Set(['red', 'green', 'blue', 'yellow']),
    );
  });

  it('draws the elbow curve, and refuses an empty range of k', async () => {
    const { points } = await run(api, 'clusters.elbow', {
      kMin: 2,
      kMax: 6,
    });
    expect(points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6]);
    for (let i = 1; i < points.length; i++) expect(points[i]!.inertia).toBeLessThan(points[i - 1]!.inertia);
    const best = points.reduce((a, b) => (b.silhouette! > a.silhouette! ? b : a));
    expect(best.k).toBe(4);
    expect(await api.invoke('clusters.elbow', { kMin: 9, kMax: 3 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-range' },
    });
  });

  it('keeps the map until the embeddings change', async () => {
    const first = unpacked(await run(api, 'map.points', {}));
    expect(first.cached).toBe(true);
    // An image that is not embedded is not on the map, and does not change it.
    await writeColourImage(path.join(root, 'Images/red-later.png'), [200, 25, 35], { seed: 90 });
    const again = unpacked(await run(api, 'map.points', {}));
    expect(again).toMatchObject({ total: 20, cached: true });
    expect(again.points).toEqual(first.points);

    await embedAll(api);
    const changed = unpacked(await run(api, 'map.points', {}));
    expect(changed).toMatchObject({ total: 21, cached: false });
    expect(changed.points.find((p) => p.file === 'Images/red-later.png')).toMatchObject({ kind: 'inbox' });
  });
});
