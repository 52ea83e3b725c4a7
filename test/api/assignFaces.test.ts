/**
 * Filing an image by hand is one operation whichever face asks: `clipsort assign` and the page's `review.assign`
 * both make a new class a class (its Classes/ folder), and both file under an existing class spelled otherwise.
 * The page's assignment answers with its batch, so that its undo puts exactly that image back into review.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

describe('assigning an image by hand, from the command line and from the page', () => {
  const tempDir = useTempDirs();

  it('creates the class of a new name and reuses the class of a known one', async () => {
    const root = await tempDir();
    const [first, second, third, fourth] = await makeColourLibrary(root);
    const cli = (file: string, name: string) =>
      runClipsortJson<{ file: string; to: string }>(['assign', root, file, name]);

    expect(cli(first!.file, 'Purple').to).toBe(`Dataset/Purple/${path.posix.basename(first!.file)}`);
    expect(existsSync(path.join(root, 'Classes/Purple'))).toBe(true);
    expect(cli(second!.file, 'RED').to).toBe(`Dataset/red/${path.posix.basename(second!.file)}`);

    const api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    try {
      const page = (file: string, name: string) => run(api, 'review.assign', { file, class: name });
      expect((await page(third!.file, 'Teal')).to).toBe(`Dataset/Teal/${path.posix.basename(third!.file)}`);
      expect(existsSync(path.join(root, 'Classes/Teal'))).toBe(true);
      expect((await page(fourth!.file, 'purple')).to).toBe(
        `Dataset/Purple/${path.posix.basename(fourth!.file)}`,
      );
    } finally {
      await api.close();
    }
    expect((await readdir(path.join(root, 'Classes'))).sort()).toEqual([
      'Purple',
      'Teal',
      'blue',
      'green',
      'red',
      'yellow',
    ]);
  });

  it('answers with the batch of the move, and undoing that batch puts the image back into review', async () => {
    const root = await tempDir();
    const [first, second] = await makeColourLibrary(root);
    const api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    try {
      const filed = await run(api, 'review.assign', { file: first!.file, class: 'blue' });
      await run(api, 'review.assign', { file: second!.file, class: 'blue' });
      expect(typeof filed.batch).toBe('string');
      const undone = await run(api, 'moves.undo', { batch: filed.batch! });
      expect(undone.restored).toEqual([{ from: filed.to, to: first!.file }]);
      expect(existsSync(path.join(root, first!.file))).toBe(true);
      // The other assignment stays: the batch held that one image alone.
      expect(existsSync(path.join(root, 'Dataset/blue', path.posix.basename(second!.file)))).toBe(true);
      const waiting = await run(api, 'review.list');
      expect(waiting.items.map((i) => [i.file, i.reason])).toEqual([[first!.file, 'undone']]);
    } finally {
      await api.close();
    }
  });
});
