/**
 * "Sort again" in a real headless Chromium against a real `clipsort serve` on the colour model: a colour library
 * sorted and undone from the command line leaves every image waiting as put back by an undo; sorting again from
 * the Review view files them all into Dataset/<class>/, the button working meanwhile, one line saying what
 * happened, and the list emptying. The Activity view offers it too, and the line follows the language. Screenshots
 * go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import {
  browserTitle,
  connection,
  hasChromium,
  shot,
  textOf,
  thumbnailsLoaded,
  until,
  useServedPage,
} from './browser.js';

/**
 * Records, in the page, every state the Sort again button goes through (disabled, and its text), so that a run
 * too quick to catch from outside still shows it was working. Strings: the tests have no DOM types.
 */
const watchButton = `(() => {
  const button = document.querySelector('[data-testid="sort-again"]');
  window.sortAgainStates = [];
  new MutationObserver(() => window.sortAgainStates.push([button.disabled, button.textContent.trim()])).observe(
    button,
    { attributes: true, childList: true, subtree: true, characterData: true },
  );
})()`;
const buttonStates = (page: Page) => page.evaluate<[boolean, string][]>('window.sortAgainStates');

const title = browserTitle('sorting again from the page in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('files the images an undo put back, says what it did, and empties the review list', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    runClipsortJson(['sort', root, '--model-dir', colourModelDir, '--threads', '1']);
    runClipsortJson(['undo', root]);
    for (const { file } of expected) expect(existsSync(path.join(root, file)), file).toBe(true);

    const { page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');
    await page.getByTestId('nav-review').click();
    const items = page.locator('[data-testid="review-items"] > li');
    await until('the undone images listed', async () => (await items.count()) === expected.length);
    // Each says why it waits: put back by an undo.
    const reasons = page.getByTestId('review-reason');
    expect(await reasons.count()).toBe(expected.length);
    for (const reason of await reasons.all()) {
      expect(await reason.getAttribute('data-reason')).toBe('undone');
      expect(await reason.textContent()).toBe(`(${en['review.undone']})`);
    }
    const button = page.getByTestId('sort-again');
    expect(await button.textContent()).toBe(en['sortAgain.run']);
    expect(await textOf(page, 'sort-again-outcome')).toBe('');
    await until('the review thumbnails loaded', () => thumbnailsLoaded(page));
    await shot(page, 'review-sort-again-before');

    await page.evaluate(watchButton);
    await button.click();
    await until(
      'the outcome line',
      async () => (await textOf(page, 'sort-again-outcome')) === `${expected.length} filed, 0 still waiting`,
    );
    // While it ran, the button was disabled and said so.
    expect(await buttonStates(page)).toContainEqual([true, en['sortAgain.running']]);
    expect(await button.isDisabled()).toBe(false);
    expect(await button.textContent()).toBe(en['sortAgain.run']);
    // Every image is filed under its class, and nothing waits any more.
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(true);
      expect(existsSync(path.join(root, file)), file).toBe(false);
    }
    await page.getByTestId('review-empty').waitFor({ timeout: 10_000 });
    expect(await items.count()).toBe(0);
    const badge = page.getByTestId('nav-review').locator('.badge');
    await until('the review badge gone', async () => (await badge.count()) === 0);
    expect(await page.getByTestId('error').count()).toBe(0);
    await shot(page, 'review-sort-again-after');

    // The Activity view offers it too, with the same outcome; the numbers followed.
    await page.getByTestId('nav-activity').click();
    await until('the review count', async () => (await textOf(page, 'review-count')) === '0');
    expect(await textOf(page, 'sorted-count')).toBe(String(expected.length));
    expect(await textOf(page, 'sort-again-outcome')).toBe(`${expected.length} filed, 0 still waiting`);

    // In Spanish, the line agrees with its counts; with nothing left waiting, it says so.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language').selectOption('es');
    await page.getByTestId('nav-activity').click();
    expect(await textOf(page, 'sort-again-outcome')).toBe(
      `${expected.length} archivadas, 0 siguen esperando`,
    );
    await page.getByTestId('sort-again').click();
    await until(
      'the outcome line in Spanish',
      async () => (await textOf(page, 'sort-again-outcome')) === es['sortAgain.nothing'],
    );
    expect(await textOf(page, 'sort-again')).toBe(es['sortAgain.run']);
    await shot(page, 'activity-sort-again-es');

    // The strict CSP let everything run: no refused script or style, no uncaught error, no failed request.
    expect(problems).toEqual([]);
  });
});
