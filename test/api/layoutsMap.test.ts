/**
 * The map through every model layout: each image placed, and each inbox image ranked first under the class of
 * its colour in the mode the library sorts with, as the sorter files it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { makeColourLibrary } from '../helpers/colourLibrary.js';
import { colourModelIn, LAYOUT_VARIANTS, type LayoutVariant } from '../helpers/colourModelLayouts.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { unpacked } from '../helpers/mapAnswer.js';
import { run } from './runCommand.js';

const tempDir = useTempDirs();
const opened: ApiService[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

describe('map.points with models in Immich’s layout', () => {
  it.each(Object.keys(LAYOUT_VARIANTS) as LayoutVariant[])(
    '%s places and ranks every image',
    async (variant) => {
      const root = await tempDir();
      const inbox = await makeColourLibrary(root);
      const api = await ApiService.open(root, {
        model: { modelDir: await colourModelIn(variant), threads: 1 },
      });
      opened.push(api);
      await run(api, 'settings.set', { mode: 'text', classLanguage: 'en' });
      // The map shows the images embedded already.
      await run(api, 'images.embed', {});
      const { points } = unpacked(await run(api, 'map.points', { method: 'pca' }));
      expect(points).toHaveLength(inbox.length + 8);
      for (const { file, colour } of inbox) {
        expect(points.find((point) => point.file === file)).toMatchObject({
          kind: 'inbox',
          predicted: colour,
        });
      }
      // References keep the class of their folder (a cluttered one may rank otherwise, as eval reports).
      const references = points.filter((point) => point.kind === 'reference');
      expect(references.map((point) => point.class).sort()).toEqual([
        'blue',
        'blue',
        'green',
        'green',
        'red',
        'red',
        'yellow',
        'yellow',
      ]);
      expect(new Set(points.map((point) => `${point.x},${point.y}`)).size).toBeGreaterThan(4);
    },
  );
});
