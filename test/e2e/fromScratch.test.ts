/**
 * A person's first session, in a real headless Chromium against a real `clipsort serve` on the colour model: a
 * new, empty library; classes created from the page (no reference images, so their names are their prompts);
 * sorting started from the page; photos copied into Images/ on disk land in Dataset/<class>/, show in Activity
 * and on the Map; undo from the page puts every one back byte for byte. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort } from '../helpers/cli.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes } from '../helpers/tree.js';
import { browserTitle, connection, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

const CLASSES = Object.keys(COLOURS);

describe.skipIf(!hasChromium)(browserTitle('a new library from the page'), () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('creates classes, sorts photos copied into the inbox, maps them and undoes the run', async () => {
    const root = path.join(await tempDir(), 'Photos');
    const init = runClipsort(['init', root]);
    expect(init.code, init.stderr).toBe(0);

    // The photos a person will copy in: every shade of every colour, made outside the library.
    const camera = await tempDir();
    const photos: { name: string; colour: string }[] = [];
    let seed = 7;
    for (const [colour, shades] of Object.entries(COLOURS)) {
      for (const [i, shade] of shades.entries()) {
        const name = `${colour}-shot-${i}.${i % 2 ? 'png' : 'jpg'}`;
        await writeColourImage(path.join(camera, name), shade, { seed: seed++, width: 200, height: 150 });
        photos.push({ name, colour });
      }
    }
    const originals = await treeHashes(camera);

    const { page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');

    // Classes from the page: one folder each, named as typed.
    await page.getByTestId('nav-classes').click();
    await page.getByTestId('classes-empty').waitFor({ timeout: 10_000 });
    for (const name of CLASSES) {
      await page.getByPlaceholder('New class name').fill(name);
      await page.getByRole('button', { name: 'Create class' }).click();
      await page.locator('[data-testid="classes"] > li h2', { hasText: name }).waitFor({ timeout: 10_000 });
    }
    for (const name of CLASSES) expect(existsSync(path.join(root, 'Classes', name))).toBe(true);
    await shot(page, 'new-library-classes');

    // Sorting runs before anything arrives; the photos are copied in while it watches.
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('sort-toggle').click();
    await until('sorting started', async () => (await textOf(page, 'sort-toggle')) === 'Stop sorting');
    for (const { name } of photos) await copyFile(path.join(camera, name), path.join(root, 'Images', name));

    await until(
      'every photo sorted',
      async () => (await textOf(page, 'sorted-count')) === String(photos.length),
      60_000,
    );
    for (const { name, colour } of photos) {
      expect(existsSync(path.join(root, 'Dataset', colour, name)), name).toBe(true);
    }
    expect(await readdir(path.join(root, 'Images'))).toEqual([]);
    const log = (await page.getByTestId('events').textContent()) ?? '';
    for (const { name } of photos) expect(log).toContain(name);
    await shot(page, 'new-library-sorted');

    // The map shows every sorted photo.
    await page.getByTestId('nav-map').click();
    const canvas = page.locator('[data-testid="map-canvas"]');
    await until(
      'the map drawn',
      async () => Number(await canvas.getAttribute('data-drawn')) === photos.length,
    );
    await shot(page, 'new-library-map');

    // Undo the run from the page: every photo is back in the inbox, unchanged.
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('sort-toggle').click();
    await until('sorting stopped', async () => (await textOf(page, 'sort-toggle')) === 'Start sorting');
    await page.getByTestId('undo').first().click();
    // A move back links the photo at its old name first and removes the new one after: wait for both.
    await until(
      'photos back in Images/ and gone from Dataset/',
      async () =>
        (await readdir(path.join(root, 'Images'))).length === photos.length &&
        photos.every(({ name, colour }) => !existsSync(path.join(root, 'Dataset', colour, name))),
    );
    expect(await treeHashes(path.join(root, 'Images'))).toEqual(originals);
    await shot(page, 'new-library-undone');
    expect(problems).toEqual([]);
  });
});
