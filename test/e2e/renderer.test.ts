/**
 * The renderer in a real headless Chromium against a real `clipsort serve` on the colour model: sorting started
 * from the page lands files in Dataset/, undo from the page puts them back, a review item is filed from the page.
 * Screenshots of every view go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../api/serveProcess.js';
import { makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import {
  browserTitle,
  hasChromium,
  launchChromium,
  openPage,
  shot,
  textOf,
  thumbnailsLoaded,
  until,
} from './browser.js';

/** The files directly inside `dir`, or none when it does not exist. */
const filesIn = async (dir: string) => readdir(dir).catch(() => [] as string[]);

const title = browserTitle('the renderer in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close().catch(() => undefined);
    await serve?.stop().catch(() => undefined);
    browser = serve = undefined;
  });

  it('sorts, undoes and reviews from the page, and every view renders', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    await writeColourImage(path.join(root, 'Images/grey.png'), [128, 128, 128], { clutter: 0 });
    // A file name that would be markup if it were ever rendered as HTML.
    const markup = 'Images/<img src=x onerror=alert(1)>.png';
    await writeColourImage(path.join(root, markup), [220, 30, 30], { seed: 99 });
    expected.push({ file: markup, colour: 'red' });
    serve = await startServe(root);
    browser = await launchChromium();
    const { page, problems } = await openPage(browser);

    await page.goto(serve.url);
    // The token moved from the address into a cookie.
    expect(page.url()).not.toContain('token=');
    await page.locator('[data-testid="connection"][data-state="online"]').waitFor({ timeout: 10_000 });
    await until('the inbox count', async () => (await textOf(page, 'inbox')) === String(expected.length + 1));
    await shot(page, 'activity-before');

    // Sort from the page: every coloured image lands in its class, the grey one waits for review.
    await page.getByTestId('sort-toggle').click();
    await until(
      'every image sorted',
      async () => (await textOf(page, 'sorted-count')) === String(expected.length),
    );
    await until('the review count', async () => (await textOf(page, 'review-count')) === '1');
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(true);
    }
    await until('the log', async () => (await page.locator('[data-testid="events"] li.sorted').count()) > 0);
    expect(await page.locator('[data-testid="events"]').textContent()).toContain('Images/grey.png');
    expect(await page.locator('[data-testid="events"]').textContent()).toContain(markup);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await shot(page, 'activity-sorted');

    // Undo the run from the page: the files are back in the inbox.
    await page.getByTestId('sort-toggle').click();
    await until('sorting stopped', async () => (await textOf(page, 'sort-toggle')) === 'Start sorting');
    await page.getByTestId('undo').first().click();
    await until(
      'files back in Images/',
      async () => (await filesIn(path.join(root, 'Images'))).length === expected.length + 1,
    );
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(false);
    }
    await until('the sorted count', async () => (await textOf(page, 'sorted-count')) === '0');
    await shot(page, 'activity-undone');

    // Review: the grey image waits first; Enter files it under its best class.
    await page.getByTestId('nav-review').click();
    const items = page.locator('[data-testid="review-items"] > li');
    const grey = items.filter({ hasText: 'Images/grey.png' });
    await grey.waitFor({ timeout: 10_000 });
    await until('the undone images listed', async () => (await items.count()) === expected.length + 1);
    await until('the review thumbnails loaded', () => thumbnailsLoaded(page));
    await shot(page, 'review');
    const best = (await grey.locator('.choices button').first().textContent())?.trim().split(/\s+/)[1] ?? '';
    expect(best).not.toBe('');
    await page.locator('main > h1').click();
    await page.keyboard.press('Enter');
    const greyFiled = path.join(root, 'Dataset', best, 'grey.png');
    const greyInbox = path.join(root, 'Images/grey.png');
    await until('grey.png filed', () => existsSync(greyFiled) && !existsSync(greyInbox));
    await grey.waitFor({ state: 'detached', timeout: 10_000 });

    // Another class picked by hand, and an image kept as a reference.
    const red = items.filter({ hasText: 'Images/red-0.jpg' });
    await red.locator('select').selectOption('green');
    await red.getByRole('button', { name: 'File it' }).click();
    await until('red-0.jpg filed under green', () => existsSync(path.join(root, 'Dataset/green/red-0.jpg')));
    const blue = items.filter({ hasText: 'Images/blue-1.png' });
    await blue.locator('select').selectOption('blue');
    await blue.getByRole('button', { name: 'Add as reference' }).click();
    await until('blue-1.png a reference', () => existsSync(path.join(root, 'Classes/blue/blue-1.png')));
    await until('two items fewer', async () => (await items.count()) === expected.length - 2);
    const badge = page.getByTestId('nav-review').locator('.badge');
    await until(
      'the review badge updated',
      async () => (await badge.textContent()) === String(expected.length - 2),
    );

    // Classes: counts, reference thumbnails, and a new class.
    await page.getByTestId('nav-classes').click();
    await page.locator('[data-testid="classes"] > li').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="classes"] > li h2').allTextContents()).toEqual(
      expect.arrayContaining(['red', 'green', 'blue', 'yellow']),
    );
    await until('the thumbnails loaded', () => thumbnailsLoaded(page));
    await page.getByPlaceholder('New class name').fill('purple');
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.locator('[data-testid="classes"] > li h2', { hasText: 'purple' }).waitFor({ timeout: 10_000 });
    expect(existsSync(path.join(root, 'Classes/purple'))).toBe(true);
    await shot(page, 'classes');

    // Settings: the mode is saved; the language and theme switch.
    await page.getByTestId('nav-settings').click();
    await page.locator('select[name="mode"]').selectOption('max');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor({ timeout: 10_000 });
    await shot(page, 'settings');
    await page.getByTestId('language').selectOption('es');
    await page.getByTestId('nav-settings').getByText('Ajustes').waitFor({ timeout: 5_000 });
    await page.getByTestId('theme').selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await shot(page, 'settings-es-dark');
    await page.getByTestId('nav-activity').click();
    await shot(page, 'activity-es-dark');

    // The strict CSP let everything run: no refused script or style, no uncaught error.
    expect(problems).toEqual([]);

    // The server going away shows on the indicator.
    await serve.stop();
    serve = undefined;
    await page.locator('[data-testid="connection"][data-state="offline"]').waitFor({ timeout: 10_000 });
  });
});
