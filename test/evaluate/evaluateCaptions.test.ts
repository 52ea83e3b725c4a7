import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { evaluateCaptions, MAX_CAPTION_ROWS } from '../../electron/engine/evaluate/evaluateCaptions.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { useColourModel } from '../helpers/colourLibrary.js';
import { clipSortError } from '../helpers/errors.js';
import { writeColourImage, type Rgb } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeUnalignedEncoder } from '../helpers/unalignedEncoders.js';

const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [30, 40, 220];

describe('evaluating a captions file', () => {
  const tempDir = useTempDirs();
  const model = useColourModel();
  /** The colour CLIP's own two towers. */
  const clip = () => ({ image: model(), text: model() });

  /** Runs `work` with the index of `root`, closing it afterwards. */
  async function withIndex<T>(root: string, work: (index: LibraryIndex) => Promise<T>): Promise<T> {
    const index = LibraryIndex.open(root);
    try {
      return await work(index);
    } finally {
      index.close();
    }
  }

  const csv = (...rows: string[]) => ['filename,category,caption', ...rows].join('\n');

  it("looks in the row's category folder first, then directly in the folder", async () => {
    const root = await tempDir();
    await writeColourImage(path.join(root, 'Dataset/red/a.png'), RED, { clutter: 0 });
    await writeColourImage(path.join(root, 'Dataset/a.png'), BLUE, { clutter: 0 });
    await writeColourImage(path.join(root, 'Dataset/g.png'), GREEN, { clutter: 0 });
    const text = csv(
      'a.png,red,a red photo',
      'a.png,,a blue photo',
      'a.png,green,a blue photo again',
      'g.png,x,a green photo',
    );
    const result = await withIndex(root, (index) =>
      evaluateCaptions(root, text, clip(), index, { folder: './Dataset/' }),
    );
    expect(result.images).toEqual(['Dataset/red/a.png', 'Dataset/a.png', 'Dataset/a.png', 'Dataset/g.png']);
    expect(result.categories).toEqual(['red', '', 'green', 'x']);
    expect(result.missing).toEqual([]);
    // Every row finds its own caption first; the blue image's two captions are both right for it.
    expect(result.imageRanks).toEqual([1, 1, 1, 1]);
    expect(result.top1).toBe(1);
  });

  it('reports every row it cannot use, in the file order, with why, and never looks outside the folder', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeColourImage(path.join(outside, 'secret.png'), RED);
    await writeColourImage(path.join(root, 'Dataset/red.png'), RED, { clutter: 0 });
    await writeColourImage(path.join(root, 'Dataset/blue.png'), BLUE, { clutter: 0 });
    await writeColourImage(path.join(root, 'secret.png'), GREEN);
    await symlink(outside, path.join(root, 'Dataset/elsewhere'));
    await writeFile(path.join(root, 'Dataset/notes.png'), 'not an image');
    await mkdir(path.join(root, 'Dataset/folder.png'));
    const text = csv(
      'red.png,,a red photo',
      'blue.png,../..,a blue photo',
      '../secret.png,,a green photo',
      'elsewhere/secret.png,,a red photo',
      'notes.png,,a note',
      'folder.png,,a folder',
      'nowhere.png,red,a red photo',
    );
    const result = await withIndex(root, (index) =>
      evaluateCaptions(root, text, clip(), index, { folder: 'Dataset' }),
    );
    expect(result.images).toEqual(['Dataset/red.png', 'Dataset/blue.png']);
    expect(result.missing).toEqual([
      { file: '../secret.png', reason: 'the name leads outside Dataset/' },
      {
        file: 'elsewhere/secret.png',
        reason: expect.stringMatching(
          /elsewhere is a symbolic link to .*; ClipSort only works inside the library/,
        ) as string,
      },
      { file: 'notes.png', reason: expect.stringMatching(/not an image/) as string },
      { file: 'folder.png', reason: 'not found in Dataset/' },
      { file: 'nowhere.png', reason: 'not found in Dataset/red/ or Dataset/' },
    ]);
  });

  it('refuses a missing folder, too many rows, and a file with fewer than two usable images', async () => {
    const root = await tempDir();
    await writeColourImage(path.join(root, 'red.png'), RED);
    await withIndex(root, async (index) => {
      const run = (text: string, folder?: string) =>
        evaluateCaptions(root, text, clip(), index, { name: 'c.csv', folder });
      expect((await clipSortError(run(csv('red.png,,a red photo'), 'Nope'))).code).toBe('folder-missing');
      expect((await clipSortError(run(csv('red.png,,x'), '../x'))).code).toBe('path-outside-library');
      const many = csv(...Array.from({ length: MAX_CAPTION_ROWS + 1 }, (_, i) => `${i}.png,,photo ${i}`));
      const tooMany = await clipSortError(run(many));
      expect(tooMany.code).toBe('captions-too-many');
      expect(tooMany.message).toMatch(/has 1001 rows; .* at most 1000/);
      const one = await clipSortError(run(csv('red.png,,a red photo', 'gone.png,,a green photo')));
      expect(one.code).toBe('captions-no-images');
      expect(one.message).toBe(
        'Only 1 of the 2 images in c.csv could be used, looking in the open folder and its category folders; ' +
          'scoring needs at least two (gone.png: not found in the folder).',
      );
    });
  });

  it('scores the image tower of one model with the text tower of another, and refuses towers of other sizes', async () => {
    const root = await tempDir();
    const colours: [string, Rgb][] = [
      ['red', RED],
      ['green', GREEN],
      ['blue', BLUE],
      ['yellow', [220, 210, 30]],
      ['cyan', [30, 200, 210]],
      ['purple', [130, 30, 220]],
    ];
    const rows: string[] = [];
    for (const [name, rgb] of colours) {
      await writeColourImage(path.join(root, `Dataset/${name}.png`), rgb);
      rows.push(`${name}.png,${name},a photo of something ${name}`);
    }
    const elsewhere = await ClipModel.load(await writeUnalignedEncoder('colour-elsewhere'), { threads: 1 });
    const wide = await ClipModel.load(await writeUnalignedEncoder('colour-wide'), { threads: 1 });
    try {
      await withIndex(root, async (index) => {
        const run = (text: ClipModel) =>
          evaluateCaptions(root, csv(...rows), { image: model(), text }, index, { folder: 'Dataset' });
        const together = await run(model());
        const apart = await run(elsewhere);
        expect(together.top1).toBe(1);
        // Each tower still knows its colours: images (the same tower) and captions (another, alike up to a
        // rotation) are as similar to each other as before...
        expect(apart.imageMatrix).toEqual(together.imageMatrix);
        apart.textMatrix.matrix.forEach((row, i) =>
          row.forEach((value, j) => expect(value).toBeCloseTo(together.textMatrix.matrix[i]![j]!, 3)),
        );
        // ...but an image and its caption no longer meet: no better than chance, far below CLIP.
        expect(apart.top1).toBeLessThanOrEqual(0.5);
        expect(apart.diagonal).toBeLessThan(together.diagonal - 0.3);
        const mismatch = await clipSortError(run(wide));
        expect(mismatch.code).toBe('encoders-mismatch');
        expect(mismatch.message).toMatch(/embeddings of 32 numbers and the text encoder of 48/);
      });
    } finally {
      await Promise.all([elsewhere.dispose(), wide.dispose()]);
    }
  });
});
