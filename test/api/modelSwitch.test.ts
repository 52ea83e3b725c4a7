/**
 * Switching models with a library open: the new model embeds the library first, with progress, while the model
 * in use keeps sorting; it takes over once it has caught up, and switching back counts what it embedded before.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract/index.js';
import { ApiService } from '../../electron/api/state/apiService.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { colourModelIn } from '../helpers/colourModelLayouts.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

const tempDir = useTempDirs();
const opened: ApiService[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

describe('model.use with a library open', () => {
  it('embeds the library with the new model before it takes over, and switching back is counted at once', async () => {
    const root = await tempDir();
    const inbox = await makeColourLibrary(root);
    const home = await tempDir();
    const api = await ApiService.open(root, { model: { modelsHome: home, threads: 1 } });
    opened.push(api);
    await run(api, 'model.import', { path: colourModelDir, id: 'colours' });
    await run(api, 'model.import', { path: await colourModelIn('immich-clip'), id: 'immich', use: false });
    const sorted = await run(api, 'sort.pass', {});
    expect(sorted.sorted).toHaveLength(inbox.length);
    const images = (await run(api, 'images.embed', {})).files;

    const events: ApiEvent[] = [];
    /** The model folder in use as each catch-up event arrived. */
    const inUseDuring: (string | null)[] = [];
    api.subscribe((event) => {
      events.push(event);
      if (event.event === 'model-catchup') inUseDuring.push(api.model.status().folder);
    });
    const catchUps = () => events.flatMap((e) => (e.event === 'model-catchup' ? [e.data] : []));

    await run(api, 'model.use', { id: 'immich' });
    const first = catchUps();
    expect(first.length).toBeGreaterThan(0);
    expect(first.at(-1)).toMatchObject({
      folder: path.join(home, 'immich'),
      done: images,
      total: images,
      secondsLeft: 0,
    });
    // The model in use kept its place until the new one had caught up…
    expect(new Set(inUseDuring)).toEqual(new Set([path.join(home, 'colours')]));
    // …then took over, with every image of the library embedded already.
    expect(api.model.status()).toMatchObject({ state: 'ready', folder: path.join(home, 'immich') });
    expect(await run(api, 'images.embed', {})).toMatchObject({ files: images, embedded: 0, cached: images });
    const lastCatchUp = events.findLastIndex((e) => e.event === 'model-catchup');
    const readyAfter = events.findIndex(
      (e, i) => i > lastCatchUp && e.event === 'model' && e.data.folder === path.join(home, 'immich'),
    );
    expect(readyAfter).toBeGreaterThan(lastCatchUp);

    // Back to the first model: everything is embedded by it already.
    events.length = 0;
    await run(api, 'model.use', { id: 'colours' });
    expect(catchUps().at(-1)).toMatchObject({ done: images, total: images });
    expect(await run(api, 'images.embed', {})).toMatchObject({ embedded: 0, cached: images });
  });
});
