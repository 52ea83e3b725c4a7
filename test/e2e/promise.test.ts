/**
 * What sorting promises, on the Classes view in a real headless Chromium against a real `clipsort serve` on the
 * colour model: the promise (here, that the labelled photos are too few for one, and what decides meanwhile), each
 * class's labelled photos and corrections, and which class was corrected to which, as `eval --promise` says them;
 * choosing to decide by the error alone there changes both. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
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

type Promised = CommandResult<'eval.promise'>;
const model = ['--model-dir', colourModelDir];

describe.skipIf(!hasChromium)(browserTitle('the promise on the Classes view in Chromium'), () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('shows the promise, the corrections per class and the confusions, and decides by the error alone when asked', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const sorted = runClipsortJson<CommandResult<'sort.pass'>>(['sort', root, ...model]);
    runClipsortJson(['undo', root, ...model]);
    runClipsortJson(['assign', root, 'Images/red-0.jpg', 'blue', ...model]);
    const cli = runClipsortJson<Promised>(['eval', root, '--promise', ...model]);
    expect(cli.corrections.confusions).toEqual([{ suggested: 'red', chosen: 'blue', count: 1 }]);

    const { page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');
    await page.getByTestId('nav-classes').click();
    const line = page.getByTestId('calibration');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getAttribute('data-filed')).toBe('false');
    const text = (await line.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain(en['calibration.tooFew']);
    expect(text).toContain(`${en['calibration.fewest']} ${cli.calibration!.fewest}`);
    expect(text).toContain(en['calibration.until.threshold']);
    expect(text).toContain(`${cli.calibration!.labelled} ${en['count.labelled.other']}`);
    // Per class, what the command line says: the undone moves into it and the photo corrected into blue.
    for (const [name, counts] of Object.entries(cli.corrections.perClass)) {
      const row = page.getByTestId('promise-classes').locator(`tr[data-class="${name}"]`);
      expect(await row.getByTestId('class-corrected').textContent(), name).toBe(String(counts.corrected));
      expect(await row.getByTestId('class-undone').textContent(), name).toBe(String(counts.undone));
    }
    const undoneFromBlue = sorted.sorted.filter((image) => image.class === 'blue').length;
    expect(cli.corrections.perClass.blue).toEqual({ corrected: 1, undone: undoneFromBlue });
    expect((await textOf(page, 'promise-confusions')).replace(/\s+/g, ' ')).toBe(
      `1 ${en['count.photo.one']} ${en['promise.suggestedAs']} red ${en['promise.belongedIn']} blue`,
    );
    await shot(page, 'classes-promise');

    // Deciding by the error alone, at 5 %: kept with the library, and photos wait until it can be promised.
    const form = page.getByTestId('sort-settings');
    await form.getByTestId('decide-by').selectOption('error');
    expect(await form.textContent()).toContain(en['settings.decideBy.error.about']);
    await form.getByTestId('max-error').fill('5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor({ timeout: 10_000 });
    await until('the promise read again', async () =>
      ((await line.textContent()) ?? '').includes(en['calibration.until.review']),
    );
    const stored = JSON.parse(await readFile(path.join(root, '.clipsort/settings.json'), 'utf8')) as {
      decideBy: string;
      maxError: number;
    };
    expect(stored).toMatchObject({ decideBy: 'error', maxError: 0.05 });
    const after = runClipsortJson<Promised>(['eval', root, '--promise', ...model]);
    expect(after).toMatchObject({ untilCalibrated: 'review', calibration: { maxError: 0.05 } });
    expect(((await line.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(
      `${en['calibration.fewest']} ${after.calibration!.fewest}`,
    );
    expect(await form.getByTestId('max-error').inputValue()).toBe('5');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language').selectOption('es');
    await page.getByTestId('nav-classes').click();
    await until('the promise in Spanish', async () =>
      ((await line.textContent()) ?? '').includes(es['calibration.until.review']),
    );
    expect(await page.getByTestId('promise-classes').textContent()).toContain(es['promise.corrected']);
    expect(problems).toEqual([]);
  });

  it('offers a photo filed against the suggestion as a reference of its class, in one key', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // Deciding by the error alone, with too few labelled photos: every photo waits, with its suggestions.
    runClipsortJson(['sort', root, ...model, '--max-error', '0.02']);
    const { page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');
    await page.getByTestId('nav-review').click();
    const current = page.locator('[data-testid="review-items"] > li.current');
    await current.waitFor({ timeout: 20_000 });
    // Every thumbnail and the preview shown before any is filed away under them.
    await until('the review images loaded', () => thumbnailsLoaded(page));
    const file = await current.getByTestId('review-file').textContent();
    const [best, second] = (await current.getByTestId('review-top').locator('button').allTextContents()).map(
      (text) => text.replace(/^\s*\d\s*/, '').split(/\s+/)[0]!,
    );
    // Filing it under the best class is no correction: nothing is offered, and A says why.
    expect(await page.getByTestId('review-offer').count()).toBe(0);
    await page.keyboard.press('a');
    expect(await textOf(page, 'review-notice')).toBe(en['review.idle.nothingCorrected']);

    await page.keyboard.press('2');
    const offer = page.getByTestId('review-offer');
    await offer.waitFor({ timeout: 10_000 });
    expect((await offer.textContent())!.replace(/\s+/g, ' ')).toContain(
      `${en['review.offer.filed']} ${second}, ${en['review.offer.suggested']} ${best}`,
    );
    const name = path.basename(file!);
    await until('filed under the second class', () => existsSync(path.join(root, 'Dataset', second!, name)));
    await page.keyboard.press('a');
    await until('kept as a reference', () => existsSync(path.join(root, 'Classes', second!, name)));
    await shot(page, 'review-adopted');
    expect(existsSync(path.join(root, 'Dataset', second!, name))).toBe(false);
    await until('the offer gone', async () => (await offer.count()) === 0);
    // U takes the reference back to where the correction filed it.
    await page.keyboard.press('u');
    await until('back in Dataset', () => existsSync(path.join(root, 'Dataset', second!, name)));
    expect(problems).toEqual([]);
  });
});
