/**
 * A library whose class folders are named in Spanish, sorted from the page with an NLLB-style model in Immich's
 * layout: Settings says the names are Spanish, and the photos land in Dataset/rojo and Dataset/azul. Skipped
 * without Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourModelIn } from '../helpers/colourModelLayouts.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, connection, hasChromium, shot, until, useServedPage } from './browser.js';

const title = browserTitle('Spanish class names with a multilingual model in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('sorts into Spanish-named classes once Settings says the names are Spanish', async () => {
    const root = await tempDir();
    for (const name of ['rojo', 'azul']) await mkdir(path.join(root, 'Classes', name), { recursive: true });
    await mkdir(path.join(root, 'Dataset'), { recursive: true });
    await writeColourImage(path.join(root, 'Images/tomate.jpg'), [210, 35, 30], { width: 320, height: 240 });
    await writeColourImage(path.join(root, 'Images/cielo.png'), [40, 70, 220], { width: 240, height: 320 });
    const { page, problems } = await open(root, {
      modelDir: await colourModelIn('immich-nllb'),
      env: { CLIPSORT_CONFIG_HOME: await tempDir() },
    });
    await connection(page, 'online');

    await page.getByTestId('nav-settings').click();
    const sorting = page.getByTestId('sort-settings');
    await sorting.locator('select[name="mode"]').selectOption('text');
    await sorting.getByTestId('class-language').selectOption('es');
    await sorting.getByRole('button', { name: 'Save' }).click();
    await sorting.getByText('Saved.').waitFor({ timeout: 10_000 });

    await page.getByTestId('nav-activity').click();
    await page.getByTestId('sort-toggle').click();
    await until(
      'both photos filed',
      () =>
        existsSync(path.join(root, 'Dataset/rojo/tomate.jpg')) &&
        existsSync(path.join(root, 'Dataset/azul/cielo.png')),
    );
    const events = page.getByTestId('events');
    await until('both named on the page', async () => {
      const text = (await events.textContent()) ?? '';
      return text.includes('rojo') && text.includes('azul');
    });
    await shot(page, 'multilingual-sorted');
    expect(problems).toEqual([]);
  });
});
