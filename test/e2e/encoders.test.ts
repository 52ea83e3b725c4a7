/**
 * The Evaluation view scoring a captions file with one CLIP model and, beside it, with the image tower of that
 * model and the text tower of another trained apart (a colour CLIP in a space of its own), in a real headless
 * Chromium against `clipsort serve`. Skipped without Chromium.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort } from '../helpers/cli.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { writeColourImage, type Rgb } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeUnalignedEncoder } from '../helpers/unalignedEncoders.js';
import { browserTitle, connection, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

const title = browserTitle('one CLIP model against separate encoders in Chromium');

const COLOURS: [string, Rgb][] = [
  ['red', [220, 30, 30]],
  ['green', [30, 200, 40]],
  ['blue', [30, 40, 220]],
  ['yellow', [230, 220, 30]],
  ['cyan', [30, 200, 210]],
];

const percentOf = (text: string) => Number(text.replace(/[%\s\u00a0]/g, ''));

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('shows the figures of both side by side, and the matrices of the separate encoders', async () => {
    const root = await tempDir();
    for (const folder of ['Images', 'Classes']) await mkdir(path.join(root, folder));
    const rows = ['filename,category,caption'];
    for (const [name, rgb] of COLOURS) {
      await writeColourImage(path.join(root, `Dataset/${name}/${name}.png`), rgb, { clutter: 0 });
      rows.push(`${name}.png,${name},a photo of something ${name}`);
    }
    const captions = path.join(await tempDir(), 'captions.csv');
    await writeFile(captions, rows.join('\n'));
    const env = { CLIPSORT_MODELS_HOME: path.join(await tempDir(), 'models') };
    const elsewhere = await writeUnalignedEncoder('colour-elsewhere');
    expect(runClipsort(['models', 'import', elsewhere, '--id', 'colour-elsewhere'], env).code).toBe(0);

    const { page, problems } = await open(root, { modelDir: colourModelDir, env });
    await connection(page, 'online');
    await page.getByTestId('nav-evaluation').click();
    await page.getByTestId('captions-file').setInputFiles(captions);
    await page.getByText('Compare with separate encoders').click();
    await page.getByTestId('text-encoder').selectOption('colour-elsewhere');
    expect(await page.getByTestId('image-encoder').inputValue()).toBe('');
    await page.getByTestId('captions-run').click();
    const comparison = page.getByTestId('encoder-comparison');
    await comparison.waitFor({ timeout: 60_000 });

    // The report of the model in use is as before; beside it, the same captions with the other text tower.
    expect(await textOf(page, 'top1')).toBe('100%');
    expect(await textOf(page, 'together-top1')).toBe('100%');
    expect(percentOf(await textOf(page, 'apart-top1'))).toBeLessThan(100);
    expect(Number(await textOf(page, 'apart-diagonal'))).toBeLessThan(
      Number(await textOf(page, 'together-diagonal')) - 0.3,
    );
    expect(await comparison.textContent()).toContain('colour-elsewhere');
    for (const id of ['apart-captions-heatmap', 'apart-image-matrix', 'apart-text-matrix']) {
      await page.getByTestId(id).waitFor({ timeout: 5_000 });
    }
    await shot(page, 'evaluation-encoders');

    // Back to the model in use alone: the comparison goes with the next evaluation.
    await page.getByTestId('text-encoder').selectOption('');
    await page.getByTestId('captions-run').click();
    await until('the comparison gone', async () => (await comparison.count()) === 0);
    expect(await textOf(page, 'top1')).toBe('100%');
    expect(problems).toEqual([]);
  });
});
