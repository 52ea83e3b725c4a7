import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import type { CommandName, EventData } from '../../electron/api/contract/index.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage, type Rgb } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

/** The error code a command fails with. */
async function failure(api: ApiService, name: CommandName, input: unknown): Promise<string> {
  const outcome = await api.invoke(name, input);
  if (outcome.ok) throw new Error(`${name} should have failed`);
  return outcome.error.code;
}

const plain = (root: string, file: string, colour: Rgb, seed: number) =>
  writeColourImage(path.join(root, file), colour, { seed, clutter: 0 });

describe('evaluation and search over the API', () => {
  const tempDir = useTempDirs();
  const model = { modelDir: colourModelDir, threads: 1 };

  /** The colour library, with plain pictures sorted into Dataset/ and an exact copy of one inbox image. */
  async function library(): Promise<string> {
    const root = await tempDir();
    await makeColourLibrary(root);
    await plain(root, 'Dataset/warm/red.png', [220, 30, 30], 21);
    await plain(root, 'Dataset/warm/yellow.png', [230, 220, 30], 22);
    await plain(root, 'Dataset/cool/blue.png', [30, 40, 220], 23);
    await plain(root, 'Dataset/magenta.png', [220, 30, 220], 24);
    await mkdir(path.join(root, 'Dataset/copies'));
    await copyFile(path.join(root, 'Images/green-0.jpg'), path.join(root, 'Dataset/copies/green-0.jpg'));
    return root;
  }

  it('eval.captions scores a captions file against the images of a library folder', async () => {
    const api = await ApiService.open(await library(), { model });
    try {
      const captions = JSON.stringify({
        warm: [
          { filename: 'red.png', description: 'a red photo' },
          { filename: 'yellow.png', description: 'a yellow photo' },
        ],
        cool: [
          { filename: 'blue.png', description: 'a blue photo' },
          { filename: 'magenta.png', description: 'a green photo' },
          { filename: 'missing.png', description: 'a red photo' },
        ],
      });
      const result = await run(api, 'eval.captions', { captions, name: 'captions.json' });
      expect(result.images).toEqual([
        'Dataset/warm/red.png',
        'Dataset/warm/yellow.png',
        'Dataset/cool/blue.png',
        'Dataset/magenta.png',
      ]);
      expect(result.categories).toEqual(['warm', 'warm', 'cool', 'cool']);
      // Magenta is the opposite hue of green: its caption ranks last, and the caption finds it last.
      expect(result.top1).toBe(0.75);
      expect(result.captionTop1).toBe(0.75);
      expect(result.top5).toBe(1);
      expect(result.matrix[3]![3]).toBeLessThan(-0.9);
      expect(result.missing).toEqual([
        { file: 'missing.png', reason: 'not found in Dataset/cool/ or Dataset/' },
      ]);
      expect(result.imageRanks).toEqual([1, 1, 1, 4]);
      expect(result.captionRanks).toEqual([1, 1, 1, 4]);
      expect(result.imageMatrix.labels).toEqual(result.images);
      expect(result.textMatrix.labels).toEqual([
        'a red photo',
        'a yellow photo',
        'a blue photo',
        'a green photo',
      ]);

      expect(await failure(api, 'eval.captions', { captions: 'filename,caption\na.png,x\n' })).toBe(
        'captions-missing-column',
      );
      expect(await failure(api, 'eval.captions', { captions: 'x', folder: '../elsewhere' })).toBe(
        'invalid-input',
      );
      expect(await failure(api, 'eval.captions', { captions: '{"a": [', name: 'c.json' })).toBe(
        'captions-malformed',
      );
    } finally {
      await api.close();
    }
  });

  it('eval.classes compares the modes on the reference images', async () => {
    const api = await ApiService.open(await library(), { model });
    try {
      const result = await run(api, 'eval.classes');
      expect(result).toMatchObject({ classes: ['blue', 'green', 'red', 'yellow'], references: 8, folds: 8 });
      // Green's second reference (a dark green under a bluish block of clutter) reads as blue in every mode.
      for (const confusion of Object.values(result.confusion)) {
        expect(confusion).toEqual([
          [2, 0, 0, 0],
          [1, 1, 0, 0],
          [0, 0, 2, 0],
          [0, 0, 0, 2],
        ]);
      }
      expect(result.modes).toEqual({ avg: 7 / 8, max: 7 / 8, text: 7 / 8, hybrid: 7 / 8, probe: 7 / 8 });
      expect(result.recommended).toBe('hybrid');
      expect(result.single).toEqual([]);
      expect(result.errors).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('search.text lists the images closest to a text, best first', async () => {
    const api = await ApiService.open(await library(), { model });
    try {
      const { results } = await run(api, 'search.text', { text: 'yellow', limit: 6, all: true });
      expect(results).toHaveLength(6);
      expect(results.map((r) => r.file).sort()).toEqual(
        [
          'Images/yellow-0.jpg',
          'Images/yellow-1.png',
          'Images/yellow-2.webp',
          'Classes/yellow/ref-0.png',
          'Classes/yellow/ref-1.png',
          'Dataset/warm/yellow.png',
        ].sort(),
      );
      const scores = results.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      const all = await run(api, 'search.text', { text: 'magenta', all: true });
      expect(all.results).toHaveLength(25);
      expect(all.cut).toBe(0);
      expect(all.results[0]!.file).toBe('Dataset/magenta.png');
      expect(all.errors).toEqual([]);
      // Without all, the relevance cut keeps the images that stand out, and says how many it left out.
      const relevant = await run(api, 'search.text', { text: 'yellow' });
      const ranked = await run(api, 'search.text', { text: 'yellow', all: true });
      expect(relevant.results.length).toBeGreaterThanOrEqual(6);
      expect(relevant.results.length).toBeLessThan(25);
      expect(relevant.results.length + relevant.cut).toBe(25);
      expect(relevant.results).toEqual(ranked.results.slice(0, relevant.results.length));
    } finally {
      await api.close();
    }
  });

  it('search.duplicates groups near-identical images', async () => {
    const api = await ApiService.open(await library(), { model });
    try {
      const strict = await run(api, 'search.duplicates', { threshold: 0.99999 });
      expect(strict).toMatchObject({ threshold: 0.99999, images: 25, errors: [] });
      expect(strict.groups.map((g) => g.files)).toEqual([
        ['Images/green-0.jpg', 'Dataset/copies/green-0.jpg'],
      ]);
      expect(strict.groups[0]!.similarity).toBeGreaterThanOrEqual(0.99999);
      const loose = await run(api, 'search.duplicates');
      expect(loose.threshold).toBe(0.95);
      // The colour model sees same-hue pictures as near-copies: far more, and larger, groups at 0.95.
      expect(loose.groups.length).toBeGreaterThan(1);
      const grouped = new Set(loose.groups.flatMap((g) => g.files));
      expect(grouped).toContain('Dataset/copies/green-0.jpg');
      for (const group of loose.groups) expect(group.similarity).toBeGreaterThanOrEqual(0.95);
      expect(await failure(api, 'search.duplicates', { threshold: 0.2 })).toBe('invalid-input');
    } finally {
      await api.close();
    }
  });

  it('names the images it could not embed, and tells how far embedding is', async () => {
    const root = await library();
    await writeFile(path.join(root, 'Dataset/broken.png'), 'not an image');
    await writeFile(path.join(root, 'Classes/red/broken.png'), 'not an image');
    const api = await ApiService.open(root, { model });
    const progress: EventData<'embedding'>[] = [];
    api.subscribe((message) => message.event === 'embedding' && progress.push(message.data));
    const notAnImage = expect.stringMatching(/not an image/) as string;
    try {
      const search = await run(api, 'search.text', { text: 'red', limit: 1 });
      expect(search.errors).toEqual([
        { file: 'Classes/red/broken.png', error: notAnImage },
        { file: 'Dataset/broken.png', error: notAnImage },
      ]);
      expect(progress.at(-1)).toEqual({ done: 27, total: 27 });

      const duplicates = await run(api, 'search.duplicates');
      expect(duplicates.images).toBe(25);
      expect(duplicates.errors).toEqual(search.errors);

      const classes = await run(api, 'eval.classes');
      expect(classes.errors).toEqual([{ file: 'Classes/red/broken.png', error: notAnImage }]);
      expect(classes.references).toBe(8);
    } finally {
      await api.close();
    }
  });

  it('images.embed embeds every image of a plain folder into its own index, and eval.captions finds them there', async () => {
    const root = await tempDir();
    await plain(root, 'a.png', [220, 30, 30], 1);
    await plain(root, 'cool/b.png', [30, 40, 220], 2);
    await writeFile(path.join(root, 'cool/broken.jpg'), 'not an image');
    const folder = { model, access: { kind: 'folder' as const } };
    const api = await ApiService.open(root, folder);
    const progress: EventData<'embedding'>[] = [];
    api.subscribe((message) => message.event === 'embedding' && progress.push(message.data));
    try {
      const first = await run(api, 'images.embed', { batch: 1 });
      expect(first).toMatchObject({ files: 3, embedded: 2, cached: 0 });
      expect(first.errors).toEqual([
        { file: 'cool/broken.jpg', error: expect.stringMatching(/not an image/) as string },
      ]);
      expect(first.imagesPerSecond).toBeGreaterThan(0);
      expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
      expect(await run(api, 'images.embed')).toMatchObject({ files: 3, embedded: 0, cached: 2 });

      // `.` is the folder itself: names are found directly in it or in their category's subfolder.
      const captions = 'filename,category,caption\na.png,warm,a red photo\nb.png,cool,a blue photo\n';
      const result = await run(api, 'eval.captions', { captions, name: 'captions.csv', folder: '.' });
      expect(result.images).toEqual(['a.png', 'cool/b.png']);
      expect(result.top1).toBe(1);
      expect(await failure(api, 'sort.start', {})).toBe('library-read-only');
    } finally {
      await api.close();
    }
    await expect(ApiService.open(path.join(root, 'nope'), folder)).rejects.toMatchObject({
      code: 'folder-unreadable',
    });
  });
});
