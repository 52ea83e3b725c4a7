/**
 * The sorter and the watch service tell what happens through typed events: whoever shows progress, outcomes or
 * the classes listens, instead of subclassing the sorter.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { Sorter, type SortOutcome } from '../../electron/engine/sorting/sorter.js';
import { WatchService } from '../../electron/engine/sorting/watchService.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { makeColourLibrary, useColourModel } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { waitFor } from '../watch/libraryHarness.js';

const settings = { mode: 'avg' as const, threshold: 0.5, margin: 0, quietMs: 0 };

describe('sorter and watch service events', () => {
  const tempDir = useTempDirs();
  const model = useColourModel();

  it('says when each image starts and finishes, and which classes were read', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const index = LibraryIndex.open(root);
    const sorter = new Sorter(root, model(), index, settings, newBatchId());
    const started: string[] = [];
    const finished: [string, SortOutcome['kind'] | undefined][] = [];
    const classes: string[][] = [];
    sorter.on('started', (file) => started.push(file));
    sorter.on('finished', (file, outcome) => finished.push([file, outcome?.kind]));
    sorter.on('classes', (names) => classes.push(names));
    try {
      const outcomes = await sorter.sortInbox();
      await mkdir(path.join(root, 'Classes/purple'));
      await writeColourImage(path.join(root, 'Classes/purple/ref.png'), [128, 0, 128], { seed: 3 });
      await sorter.reloadClasses();

      const files = expected.map(({ file }) => file).sort();
      expect([...started].sort()).toEqual(files);
      expect(finished.map(([file]) => file).sort()).toEqual(files);
      for (const outcome of outcomes) expect(finished).toContainEqual([outcome.file, outcome.kind]);
      expect(classes).toEqual([['blue', 'green', 'purple', 'red', 'yellow']]);
    } finally {
      await sorter.close();
      index.close();
    }
  });

  it('tells each outcome and notice of the watch to its listeners', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const index = LibraryIndex.open(root);
    const sorter = new Sorter(root, model(), index, settings, newBatchId());
    const service = new WatchService(root, sorter);
    const outcomes: SortOutcome[] = [];
    service.on('outcome', (outcome) => outcomes.push(outcome));
    try {
      await service.start({ rescanIntervalMs: 200 });
      await writeColourImage(path.join(root, 'Images/late.png'), COLOURS.red![0]!, { seed: 9, clutter: 0 });
      await writeFile(path.join(root, 'Images/broken.jpg'), 'not an image');
      await waitFor(
        () =>
          outcomes.some((o) => o.file === 'Images/late.png') &&
          outcomes.some((o) => o.file === 'Images/broken.jpg'),
        'the two new files to be sorted',
        30_000,
      );
      expect(outcomes.find((o) => o.file === 'Images/late.png')).toMatchObject({
        kind: 'sorted',
        class: 'red',
      });
      expect(outcomes.find((o) => o.file === 'Images/broken.jpg')).toMatchObject({ kind: 'error' });
    } finally {
      await service.close();
      await sorter.close();
      index.close();
    }
  });
});
