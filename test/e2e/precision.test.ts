/**
 * Precision in a real headless Chromium against a real `clipsort serve`: int8 chosen in Settings is checked on the
 * library's photos; on a library with too few to check it on the page says int8 was not used and why, and shows
 * full precision running; on a larger one int8 runs. The choice is kept per computer. Skipped where Chromium is
 * not installed.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { addColourPhotos, colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

/** The precision the model panel says runs; null before the model is loaded. */
async function precisionShown(page: Page): Promise<string | null> {
  const shown = page.getByTestId('model-precision');
  return (await shown.count()) === 0 ? null : shown.getAttribute('data-precision', { timeout: 5_000 });
}

describe.skipIf(!hasChromium)(browserTitle('choosing int8 in Settings'), () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  async function chooseInt8(
    perColour: number,
  ): Promise<{ page: Page; configHome: string; problems: string[] }> {
    const [root, model, configHome] = [await tempDir(), await tempDir(), await tempDir()];
    await cp(colourModelDir, model, { recursive: true });
    await makeColourLibrary(root);
    await addColourPhotos(root, perColour);
    const { page, problems } = await open(root, {
      modelDir: model,
      env: { CLIPSORT_CONFIG_HOME: configHome },
    });
    await page.getByTestId('nav-settings').click();
    const performance = page.getByTestId('performance-settings');
    await performance.waitFor({ timeout: 10_000 });
    expect(await performance.locator('select[name="precision"]').inputValue()).toBe('fp32');
    await performance.locator('select[name="precision"]').selectOption('int8');
    await performance.getByRole('button', { name: 'Save' }).click();
    await performance.getByText('Saved.').waitFor({ timeout: 30_000 });
    // The model loads, and int8 is checked, once sorting needs it.
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('sort-toggle').click();
    await until('photos sorted', async () => Number(await textOf(page, 'sorted-count')) > 0, 60_000);
    await page.getByTestId('nav-settings').click();
    return { page, configHome, problems };
  }

  it('runs int8 once it passes the check on the photos, and keeps the choice', async () => {
    const { page, configHome, problems } = await chooseInt8(7);
    await until('int8 running', async () => (await precisionShown(page)) === 'int8', 60_000);
    expect(await textOf(page, 'model-precision')).toContain(en['model.precision.int8']);
    expect(await page.getByTestId('model-notice').count()).toBe(0);
    expect(JSON.parse(await readFile(path.join(configHome, 'settings.json'), 'utf8'))).toMatchObject({
      precision: 'int8',
    });
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await until(
      'the choice read back',
      async () =>
        (await page.getByTestId('performance-settings').locator('select[name="precision"]').inputValue()) ===
        'int8',
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('says why int8 was not used on a library with too few photos, and runs full precision', async () => {
    const { page, problems } = await chooseInt8(0);
    const notice = page.getByTestId('model-notice');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toContain(en['model.int8Refused']);
    expect(await notice.locator('details').textContent()).toMatch(/at least 32 .*has 20/);
    expect(await precisionShown(page)).toBe('fp32');
    await shot(page, 'settings-int8-refused');
    expect(problems).toEqual([]);
  }, 120_000);
});
