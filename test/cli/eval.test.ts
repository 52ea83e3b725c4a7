import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import type { CaptionsEvaluation } from '../../electron/engine/evaluate/evaluateCaptions.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage, type Rgb } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeUnalignedEncoder } from '../helpers/unalignedEncoders.js';

const model = ['--model-dir', colourModelDir];

/** One colour, no clutter: the colour model embeds it as its hue. */
const plain = (file: string, colour: Rgb, seed: number) =>
  writeColourImage(file, colour, { seed, clutter: 0 });

/**
 * A folder of five captioned pictures: four whose caption names their colour, and a magenta one captioned "a
 * cyan photo". For the colour model, magenta is as close to red and blue (cosine ½) as cyan is far from it (−½),
 * so that mismatched pair ranks below the top both ways while every other pair ranks first. Two more rows name
 * a picture that is not there and a file that is not an image.
 */
async function captionedFolder(root: string): Promise<void> {
  await plain(path.join(root, 'warm/red.png'), [220, 30, 30], 1);
  await plain(path.join(root, 'warm/yellow.png'), [230, 220, 30], 2);
  await plain(path.join(root, 'cool/green.png'), [30, 200, 40], 3);
  await plain(path.join(root, 'cool/blue.png'), [30, 40, 220], 4);
  await plain(path.join(root, 'magenta.png'), [220, 30, 220], 5);
  await writeFile(path.join(root, 'broken.png'), 'not an image');
  await writeFile(
    path.join(root, 'captions.csv'),
    '\uFEFFfilename,category,caption\r\n' +
      'red.png,warm,a red photo\r\n' +
      'green.png,cool,"a green photo"\r\n' +
      'yellow.png,warm,a yellow photo\r\n' +
      'blue.png,cool,a blue photo\r\n' +
      'magenta.png,cool,"a cyan photo, mislabelled"\r\n' +
      'ghost.png,cool,a red photo\r\n' +
      'broken.png,,a blue photo\r\n',
  );
}

describe('clipsort eval --captions', () => {
  const tempDir = useTempDirs();

  it('scores images against their captions, and names the rows it left out', async () => {
    const root = await tempDir();
    await captionedFolder(root);
    const result = runClipsortJson<CaptionsEvaluation>([
      'eval',
      root,
      '--captions',
      path.join(root, 'captions.csv'),
      ...model,
    ]);
    expect(result.images).toEqual([
      'warm/red.png',
      'cool/green.png',
      'warm/yellow.png',
      'cool/blue.png',
      'magenta.png',
    ]);
    expect(result.captions.at(-1)).toBe('a cyan photo, mislabelled');
    expect(result.top1).toBeCloseTo(4 / 5, 12);
    expect(result.top5).toBe(1);
    expect(result.captionTop1).toBeCloseTo(4 / 5, 12);
    expect(result.captionTop5).toBe(1);
    // Matching colours are near 1; magenta and cyan are opposite hues (−½ before the model's common bias).
    result.matrix.slice(0, 4).forEach((row, i) => expect(row[i]).toBeGreaterThan(0.99));
    expect(result.matrix[4]![4]).toBeCloseTo(-0.48, 1);
    const n = result.images.length;
    const diagonal = result.matrix.reduce((sum, row, i) => sum + row[i]!, 0);
    const total = result.matrix.flat().reduce((a, b) => a + b, 0);
    expect(result.diagonal).toBeCloseTo(diagonal / n, 5);
    expect(result.offDiagonal).toBeCloseTo((total - diagonal) / (n * n - n), 5);
    // The mismatched pair ranks below the top both ways; every other pair ranks first.
    expect(result.imageRanks.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(result.imageRanks[4]).toBeGreaterThan(1);
    expect(result.captionRanks.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(result.missing).toEqual([
      { file: 'ghost.png', reason: 'not found in cool/ or the folder' },
      { file: 'broken.png', reason: expect.stringMatching(/not an image/) as string },
    ]);
    expect(result.imageMatrix.labels).toEqual([
      'warm/red.png',
      'warm/yellow.png',
      'cool/green.png',
      'cool/blue.png',
      'magenta.png',
    ]);
    expect(result.imageMatrix.categories).toEqual(['warm', 'warm', 'cool', 'cool', 'cool']);
    expect(result.textMatrix.labels[0]).toBe('a red photo');
    // Red and blue pictures: chroma directions 120° apart, so about −½.
    expect(result.imageMatrix.matrix[0]![3]).toBeCloseTo(-0.5, 1);
    expect(result.imageMatrix.matrix[3]![0]).toBe(result.imageMatrix.matrix[0]![3]);
  });

  it('reads JSON captions and prints a table and a summary for people', async () => {
    const root = await tempDir();
    await captionedFolder(root);
    // Magenta is nearer to "red" (½) than to "cyan" (−½), and further from "green" (−1).
    const json = {
      warm: [{ filename: 'red.png', description: 'a red photo' }],
      cool: [
        { filename: 'green.png', description: 'a green photo' },
        { filename: 'magenta.png', description: 'a cyan photo' },
      ],
    };
    await writeFile(path.join(root, 'captions.json'), JSON.stringify(json));
    const result = runClipsort(['eval', root, '--captions', path.join(root, 'captions.json'), ...model]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^image\s+own caption rank\s+closest caption\n/);
    expect(result.stdout).toMatch(/\nwarm\/red\.png\s+1\s+a red photo\n/);
    expect(result.stdout).toMatch(/\nmagenta\.png\s+2\s+a red photo\n/);
    expect(result.stdout).toMatch(/image → caption: top-1 66\.7%, top-5 100\.0%/);
  });

  it.each([
    [
      'a quote left open',
      'filename,category,caption\nred.png,warm,"a red photo\n',
      /captions\.csv: .*quote/i,
    ],
    ['a missing column', 'filename,caption\nred.png,a red photo\n', /no category column/],
    ['an empty file', '', /holds no captions/],
    ['a file too large to evaluate at once', 'x'.repeat(800 * 1024), /larger than 768 KiB/],
  ])('refuses %s with one clear line', async (_, text, message) => {
    const root = await tempDir();
    await captionedFolder(root);
    await writeFile(path.join(root, 'captions.csv'), text);
    const result = runClipsort(['eval', root, '--captions', path.join(root, 'captions.csv'), ...model]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says what to give when neither or both of --captions and --classes are given', async () => {
    const root = await tempDir();
    for (const extra of [[], ['--classes', '--captions', 'x.csv']]) {
      const result = runClipsort(['eval', root, ...extra, ...model]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'clipsort: Give one of --captions FILE, --classes or --promise.\n(see clipsort eval --help)\n',
      );
    }
  });
});

type CaptionsReport = CommandResult<'eval.captions'>;

describe('clipsort eval --captions --image-model --text-model', () => {
  const tempDir = useTempDirs();

  it('scores the towers of two models beside the model in use, and refuses what cannot be compared', async () => {
    const root = await tempDir();
    await captionedFolder(root);
    const captions = path.join(root, 'captions.csv');
    const env = { CLIPSORT_MODELS_HOME: path.join(await tempDir(), 'models') };
    for (const name of ['colour-elsewhere', 'colour-wide'] as const) {
      const imported = runClipsort(
        ['models', 'import', await writeUnalignedEncoder(name), '--id', name],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
    }
    const eval_ = (...towers: string[]) => ['eval', root, '--captions', captions, ...model, ...towers];

    const { clip, separate } = runClipsortJson<{ clip: CaptionsReport; separate: CaptionsReport }>(
      eval_('--text-model', 'colour-elsewhere'),
      env,
    );
    expect(clip.encoders).toEqual({ image: 'colour-clip', text: 'colour-clip' });
    expect(separate.encoders).toEqual({ image: 'colour-clip', text: 'colour-elsewhere' });
    expect(separate.images).toEqual(clip.images);
    expect(clip.top1).toBeCloseTo(4 / 5, 12);
    // The same images, the same image encoder: the same image × image similarities...
    expect(separate.imageMatrix).toEqual(clip.imageMatrix);
    // ...but captions from a space of their own: an image and its caption no longer meet.
    expect(separate.diagonal).toBeLessThan(clip.diagonal - 0.3);
    expect(separate.top1).toBeLessThan(clip.top1);

    const printed = runClipsort(eval_('--text-model', 'colour-elsewhere'), env);
    expect(printed.stderr).toBe('');
    expect(printed.stdout).toContain('With colour-clip (one CLIP model):\n');
    expect(printed.stdout).toContain(
      'With the image encoder of colour-clip and the text encoder of colour-elsewhere:\n',
    );
    expect(printed.stdout).toMatch(/\n {2}image → caption top-1 +80\.0% +\d+\.\d%\n/);
    expect(printed.stdout).toMatch(/\n {2}captions +colour-elsewhere +-?\d\.\d{3} +-?\d\.\d{3}\n/);

    const wide = runClipsort(eval_('--image-model', 'colour-wide'), env);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toMatch(
      /^clipsort: The image encoder makes embeddings of 48 numbers and the text .* of 32/,
    );
    const missing = runClipsort(eval_('--image-model', 'nope'), env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^clipsort: nope is not installed in .*clipsort models list/);
    const noCaptions = runClipsort(['eval', root, '--classes', '--text-model', 'colour-wide', ...model], env);
    expect(noCaptions.code).toBe(2);
    expect(noCaptions.stderr).toMatch(/compare encoders on a captions file: give --captions FILE/);
  }, 120_000);
});

interface ClassesJson {
  classes: string[];
  references: number;
  folds: number;
  modes: Record<string, number | null>;
  recommended: string | null;
  confusion: Record<string, number[][]>;
  single: string[];
  errors: { file: string; error: string }[];
}

describe('clipsort eval --classes', () => {
  const tempDir = useTempDirs();

  it('compares the modes by leave-one-out on the reference images and recommends one', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // Plain references of each hue, and a blue picture filed under red by mistake.
    await plain(path.join(root, 'Classes/green/ref-1.png'), [20, 140, 60], 11);
    await plain(path.join(root, 'Classes/red/wrong-blue.png'), [100, 120, 255], 12);
    const result = runClipsortJson<ClassesJson>(['eval', root, '--classes', ...model]);
    expect(result).toMatchObject({ classes: ['blue', 'green', 'red', 'yellow'], references: 9, folds: 9 });
    // Every mode files the blue picture under blue. Averaged over red's references, that picture drags red below
    // yellow (a neighbouring hue) for both red references in avg mode. In max mode it is the closest reference of
    // both blue references (plain, it is nearer to each than the other, whose clutter pulls it off), so both go to
    // red. The prompts (text) and prompts plus references (hybrid, probe) keep every other reference right.
    expect(result.confusion.avg).toEqual([
      [2, 0, 0, 0],
      [0, 2, 0, 0],
      [1, 0, 0, 2],
      [0, 0, 0, 2],
    ]);
    expect(result.confusion.max).toEqual([
      [0, 0, 2, 0],
      [0, 2, 0, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 2],
    ]);
    for (const mode of ['text', 'hybrid', 'probe']) {
      expect(result.confusion[mode]).toEqual([
        [2, 0, 0, 0],
        [0, 2, 0, 0],
        [1, 0, 2, 0],
        [0, 0, 0, 2],
      ]);
    }
    expect(result.modes).toEqual({ avg: 6 / 9, max: 6 / 9, text: 8 / 9, hybrid: 8 / 9, probe: 8 / 9 });
    // Three modes tie; the tie goes to hybrid.
    expect(result.recommended).toBe('hybrid');
    expect(result.single).toEqual([]);
    expect(result.errors).toEqual([]);

    const text = runClipsort(['eval', root, '--classes', ...model]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/4 classes, 9 reference images \(leave-one-out\)/);
    expect(text.stdout).toMatch(/avg\s+66\.7%/);
    expect(text.stdout).toMatch(/hybrid\s+88\.9%\s+← recommended/);
  });

  it('says so when a class has a single reference', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'Images'));
    await plain(path.join(root, 'Classes/red/a.png'), [220, 30, 30], 2);
    await plain(path.join(root, 'Classes/red/b.png'), [200, 20, 40], 3);
    await plain(path.join(root, 'Classes/blue/a.png'), [30, 40, 220], 4);
    // A reference that cannot be read is named and left out: blue keeps a single one.
    await writeFile(path.join(root, 'Classes/blue/broken.png'), 'not an image');
    const result = runClipsortJson<ClassesJson>(['eval', root, '--classes', ...model]);
    expect(result.single).toEqual(['blue']);
    expect(result.errors).toEqual([
      { file: 'Classes/blue/broken.png', error: expect.stringMatching(/not an image/) as string },
    ]);
    // Left without references, blue is scored by its prompt, which still names its colour.
    expect(result.modes).toEqual({ avg: 1, max: 1, text: 1, hybrid: 1, probe: 1 });
    const text = runClipsort(['eval', root, '--classes', ...model]);
    expect(text.stdout).toMatch(/class "blue" has a single reference/);
    expect(text.stdout).toMatch(/\nerror: .*not an image/);
  });

  it('refuses a library without classes', async () => {
    const root = await tempDir();
    await plain(path.join(root, 'Images/a.png'), [220, 30, 30], 1);
    const result = runClipsort(['eval', root, '--classes', ...model]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^clipsort: The library has no classes yet/);
  });
});
