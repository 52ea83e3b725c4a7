import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { cachedLibraryVectors } from '../../electron/engine/evaluate/vectorCache.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe("the library's vectors kept between searches", () => {
  const tempDir = useTempDirs();
  let api: ApiService | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('serve from memory until a file comes, goes or moves, or the index changes', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await mkdir(path.join(root, 'Dataset/empty'), { recursive: true });
    api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    const { index } = api.library();
    const model = await api.model.get();
    const load = () => cachedLibraryVectors(root, model, index);

    const first = await load();
    expect(await load()).toBe(first);
    const count = first.files.length;

    // A new image in the inbox, then one in a class folder that held none.
    await writeColourImage(path.join(root, 'Images/red-new.png'), [210, 30, 30], { seed: 70 });
    const added = await load();
    expect(added).not.toBe(first);
    expect(added.files).toContain('Images/red-new.png');
    expect(await load()).toBe(added);
    await writeColourImage(path.join(root, 'Dataset/empty/blue-new.png'), [30, 30, 210], { seed: 71 });
    expect((await load()).files).toContain('Dataset/empty/blue-new.png');

    // Renamed within its folder, removed, and a whole class folder taken away.
    await rename(path.join(root, 'Images/red-new.png'), path.join(root, 'Images/red-renamed.png'));
    const renamed = await load();
    expect(renamed.files).toContain('Images/red-renamed.png');
    expect(renamed.files).not.toContain('Images/red-new.png');
    await rm(path.join(root, 'Dataset/empty/blue-new.png'));
    expect((await load()).files).not.toContain('Dataset/empty/blue-new.png');
    await rm(path.join(root, 'Classes/blue'), { recursive: true });
    const fewer = await load();
    expect(fewer.files.some((file) => file.startsWith('Classes/blue/'))).toBe(false);
    expect(fewer.files.length).toBeLessThan(count);

    // A write to the index (here a person's label) is a change too.
    const settled = await load();
    expect(await load()).toBe(settled);
    index.labels.add({
      sha256: 'a'.repeat(64),
      class: 'red',
      correct: true,
      source: 'assigned',
      suggested: null,
      model: null,
      mode: null,
      score: null,
      batch: 'b1',
    });
    expect(await load()).not.toBe(settled);
  });

  it('name an image that cannot be read, and serve it again once it is replaced', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await writeFile(path.join(root, 'Images/broken.png'), 'not an image');
    api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    const { index } = api.library();
    const model = await api.model.get();
    const broken = await cachedLibraryVectors(root, model, index);
    expect(broken.errors.map((e) => e.file)).toEqual(['Images/broken.png']);
    // Replaced the way an editor saves: a new file renamed over the old.
    await writeColourImage(path.join(root, 'Images/fixed.png'), [30, 200, 30], { seed: 72 });
    await rename(path.join(root, 'Images/fixed.png'), path.join(root, 'Images/broken.png'));
    const fixed = await cachedLibraryVectors(root, model, index);
    expect(fixed.errors).toEqual([]);
    expect(fixed.files).toContain('Images/broken.png');
  });
});
