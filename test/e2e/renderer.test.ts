/**
 * The renderer in a real headless Chromium against a real `clipsort serve` on the colour model: sorting started
 * from the page lands files in Dataset/ with live progress and thumbnails, a file that is no image is reported in
 * the person's language, undo from the page puts one image or a whole run back, review items are filed with the
 * keyboard alone and with the mouse, shown large and zoomed, and put back one by one with Undo, U and Ctrl+Z, a
 * key that can do nothing says why, classes show their references and prompts, a class name that cannot be a
 * folder as typed shows as it will be saved and why, and the settings (mode, threads, language, theme) are saved.
 * Screenshots of every view go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
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

/** The files directly inside `dir`, or none when it does not exist. */
const filesIn = async (dir: string) => readdir(dir).catch(() => [] as string[]);

/** The current review item: its file and its three best classes, best first, as the page shows them. */
async function currentReviewItem(page: Page): Promise<{ file: string; top: string[] }> {
  const item = page.locator('[data-testid="review-items"] > li[aria-current="true"]');
  const file = (await item.getByTestId('review-file').textContent({ timeout: 5_000 })) ?? '';
  // Each button of the best classes reads "<key> <class> <score>".
  const buttons = await item.getByTestId('review-top').locator('button').allTextContents();
  return { file, top: buttons.map((text) => text.trim().split(/\s+/)[1] ?? '') };
}

const title = browserTitle('the renderer in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('sorts, undoes and reviews from the page, and every view renders', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    await writeColourImage(path.join(root, 'Images/grey.png'), [128, 128, 128], { clutter: 0 });
    // A file name that would be markup if it were ever rendered as HTML.
    const markup = 'Images/<img src=x onerror=alert(1)>.png';
    await writeColourImage(path.join(root, markup), [220, 30, 30], { seed: 99 });
    expected.push({ file: markup, colour: 'red' });
    // A file that is no image: it stays where it is, and the page says why in the person's language.
    await writeFile(path.join(root, 'Images/broken.jpg'), 'not a picture');
    /** Everything in the inbox at the start: the coloured images, the grey one and the broken one. */
    const inbox = expected.length + 2;
    // Settings kept per computer go to a folder of the test's own.
    const { serve, page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    // The token moved from the address into a cookie.
    expect(page.url()).not.toContain('token=');
    await connection(page, 'online');
    // A library is open and the model is found: no first-run view.
    expect(await page.getByTestId('first-run').count()).toBe(0);
    await until('the inbox count', async () => (await textOf(page, 'inbox')) === String(inbox));
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
    // Live progress: every inbox image handed to the sorter and finished.
    await until('the progress figures', async () => (await textOf(page, 'progress-done')) === String(inbox));
    expect(await textOf(page, 'progress-queued')).toBe(String(inbox));
    expect(await textOf(page, 'progress-embedding')).toBe('0');
    await until('the log', async () => (await page.locator('[data-testid="events"] li.sorted').count()) > 0);
    expect(await page.locator('[data-testid="events"]').textContent()).toContain('Images/grey.png');
    expect(await page.locator('[data-testid="events"]').textContent()).toContain(markup);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await until('the unreadable file listed', async () => (await textOf(page, 'error-count')) === '1');
    const unreadable = page.getByTestId('unreadable');
    expect(await unreadable.textContent()).toContain(
      `Images/broken.jpg: ${en['error.code.image-unsupported']}`,
    );
    expect(await page.locator('[data-testid="events"] li.error').textContent()).toContain(
      en['error.code.image-unsupported'],
    );
    // The recent moves show each sorted image's thumbnail, and every one loads.
    const run = page.getByTestId('run').first();
    await until('the run listed', async () => (await run.getByTestId('move').count()) === 5);
    await until('the move thumbnails loaded', () => thumbnailsLoaded(page));
    expect(await run.locator('img.thumb').count()).toBe(5);
    await shot(page, 'activity-sorted');

    // Undo one image from the page: that file alone goes back to the inbox.
    await page.getByTestId('sort-toggle').click();
    await until('sorting stopped', async () => (await textOf(page, 'sort-toggle')) === 'Start sorting');
    const firstMove = run.getByTestId('move').first();
    const [source, destination] = await firstMove.locator('.move-text .file').allTextContents();
    expect(source).toMatch(/^Images\//);
    expect(destination).toMatch(/^Dataset\//);
    await firstMove.getByTestId('undo-move').click();
    await until('one file back in Images/', () => existsSync(path.join(root, source!)));
    await until('it left Dataset/', () => !existsSync(path.join(root, destination!)));
    await until('the undo reported', async () =>
      (await textOf(page, 'undo-result')).replace(/\s+/g, ' ').startsWith('1 put back.'),
    );
    await until(
      'the sorted count after one undo',
      async () => (await textOf(page, 'sorted-count')) === String(expected.length - 1),
    );
    // The sort's move shows as undone, below a new run holding the undo itself.
    const undoneMove = page.locator('[data-testid="move"][data-state="undone"]');
    await until('the undone move marked', async () => (await undoneMove.count()) === 1);
    expect(await undoneMove.locator('.move-text .file').first().textContent()).toBe(source);
    const newest = await page.getByTestId('run').first().getByTestId('run-head').textContent();
    expect(newest?.replace(/\s+/g, ' ')).toMatch(/^Undo · 1 move · /);

    // Undo the rest of the run: every file is back in the inbox, and the thumbnails follow them there.
    await page.getByTestId('undo').first().click();
    await until(
      'files back in Images/',
      async () => (await filesIn(path.join(root, 'Images'))).length === inbox,
    );
    const stillSorted = async () => {
      const folders = await filesIn(path.join(root, 'Dataset'));
      const inside = await Promise.all(folders.map((f) => filesIn(path.join(root, 'Dataset', f))));
      return inside.flat().length;
    };
    await until('Dataset/ emptied', async () => (await stillSorted()) === 0);
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(false);
    }
    await until('the sorted count', async () => (await textOf(page, 'sorted-count')) === '0');
    await until('the thumbnails after undo loaded', () => thumbnailsLoaded(page));
    await shot(page, 'activity-undone');

    // Review with the keyboard alone: the list has the focus as soon as the view opens.
    await page.getByTestId('nav-review').click();
    const items = page.locator('[data-testid="review-items"] > li');
    await until('the undone images listed', async () => (await items.count()) === expected.length + 1);
    await until('the review thumbnails loaded', () => thumbnailsLoaded(page));
    expect(await page.getByTestId('review-hint').textContent()).toContain('keep as a reference');
    await shot(page, 'review');
    // Nothing filed yet: U says so, politely, rather than doing nothing.
    const notice = page.getByTestId('review-notice');
    await page.keyboard.press('u');
    await until(
      'the nothing-to-undo notice',
      async () => (await notice.textContent()) === en['review.idle.nothingToUndo'],
    );
    expect(await notice.getAttribute('aria-live')).toBe('polite');
    // The current image shows large; a click zooms it to twice the fitted width, Escape fits it again, Z toggles.
    const preview = page.getByTestId('review-preview');
    const zoom = preview.getByRole('button');
    await until(
      'the preview of grey.png',
      async () => (await preview.locator('img').getAttribute('alt')) === 'Images/grey.png',
    );
    const previewWidth = async () => (await preview.locator('img').boundingBox())?.width ?? 0;
    const fitted = await previewWidth();
    expect(fitted).toBeGreaterThan(300);
    await zoom.click();
    await until('zoomed', async () => (await zoom.getAttribute('aria-pressed')) === 'true');
    expect(await previewWidth()).toBeGreaterThan(fitted * 1.8);
    await shot(page, 'review-zoomed');
    await page.keyboard.press('Escape');
    await until('fitted', async () => (await zoom.getAttribute('aria-pressed')) === 'false');
    expect(await previewWidth()).toBe(fitted);
    await page.keyboard.press('z');
    await until('zoomed', async () => (await zoom.getAttribute('aria-pressed')) === 'true');
    await page.keyboard.press('z');
    await until('fitted', async () => (await zoom.getAttribute('aria-pressed')) === 'false');
    // The unsure grey image comes with its three best classes and their scores; the others were put back, and the
    // undo scored them, so they come with suggestions too.
    const grey = await currentReviewItem(page);
    expect(grey.file).toBe('Images/grey.png');
    expect(grey.top).toHaveLength(3);
    await page.keyboard.press('ArrowDown');
    const next = await currentReviewItem(page);
    expect(next.file).not.toBe(grey.file);
    expect(next.top).toHaveLength(3);
    await page.keyboard.press('ArrowUp');
    expect((await currentReviewItem(page)).file).toBe(grey.file);

    // 2 files the current image under its second-best class; the next image becomes current.
    await page.keyboard.press('2');
    const byKey = path.join(root, 'Dataset', grey.top[1]!, 'grey.png');
    await until(`grey.png filed under ${grey.top[1]}`, () => existsSync(byKey));
    await until('grey.png gone from the inbox', () => !existsSync(path.join(root, grey.file)));
    await until('the next image current', async () => (await currentReviewItem(page)).file === next.file);
    // A key pressed while a filing is still under way only says to wait: go on once the page is ready.
    const ready = page.getByTestId('review-undo');
    await until('the page ready', () => ready.isEnabled());

    // R keeps the image put back by an undo as a reference of its best class.
    await page.keyboard.press('r');
    const reference = path.join(root, 'Classes', next.top[0]!, path.basename(next.file));
    await until(`${next.file} kept as a reference of ${next.top[0]}`, () => existsSync(reference));

    // O opens the next image's list; Enter files it under the class chosen there.
    await until('a third image current', async () => (await currentReviewItem(page)).file !== next.file);
    const third = await currentReviewItem(page);
    await until('the page ready', () => ready.isEnabled());
    await page.keyboard.press('o');
    const focused = page.locator('[data-testid="review-items"] > li[aria-current="true"] select:focus');
    await focused.waitFor({ timeout: 5_000 });
    await focused.selectOption('green');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    const byEnter = path.join(root, 'Dataset/green', path.basename(third.file));
    await until(`${third.file} filed under green`, () => existsSync(byEnter));
    await until('three items fewer', async () => (await items.count()) === expected.length - 2);

    // Another class picked by hand with the mouse, and an image kept as a reference.
    const picked = page.locator('[data-testid="review-items"] > li[aria-current="true"]');
    const pickedFile = (await currentReviewItem(page)).file;
    await picked.locator('select').selectOption('green');
    await picked.getByRole('button', { name: 'File it' }).click();
    await until(`${pickedFile} filed under green`, () =>
      existsSync(path.join(root, 'Dataset/green', path.basename(pickedFile))),
    );
    await until('four items fewer', async () => (await items.count()) === expected.length - 3);
    const keptFile = (await items.first().getByTestId('review-file').textContent()) ?? '';
    const kept = items.filter({ has: page.getByTestId('review-file').getByText(keptFile, { exact: true }) });
    await kept.locator('select').selectOption('blue');
    await kept.getByRole('button', { name: 'Add as reference' }).click();
    await until(`${keptFile} a reference`, () =>
      existsSync(path.join(root, 'Classes/blue', path.basename(keptFile))),
    );
    await until('five items fewer', async () => (await items.count()) === expected.length - 4);
    const badge = page.getByTestId('nav-review').locator('.badge');
    await until(
      'the review badge updated',
      async () => (await badge.textContent()) === String(expected.length - 4),
    );

    // Undo: the reference just kept goes back to the inbox and waits for review again, as the current image.
    await page.getByTestId('review-undo').click();
    await until(`${keptFile} back in Images/`, () => existsSync(path.join(root, keptFile)));
    // The mover links the file at its new name before it removes the old one: wait for both.
    await until(
      `${keptFile} gone from Classes/blue`,
      () => !existsSync(path.join(root, 'Classes/blue', path.basename(keptFile))),
    );
    await until('it waits again', async () => (await items.count()) === expected.length - 3);
    await until('it is current', async () => (await currentReviewItem(page)).file === keptFile);
    const currentReason = page.locator('li[aria-current="true"] [data-testid="review-reason"]');
    expect(await currentReason.getAttribute('data-reason')).toBe('undone');
    // U puts back the one filed before it (with the mouse), Ctrl+Z the one before that (with Enter); the images
    // filed earlier stay where they went.
    await until('the page ready for the next undo', () => ready.isEnabled());
    await page.keyboard.press('u');
    await until(`${pickedFile} back in Images/`, () => existsSync(path.join(root, pickedFile)));
    await until('the page ready for the next undo', () => ready.isEnabled());
    await page.keyboard.press('Control+z');
    await until(`${third.file} back in Images/`, () => existsSync(path.join(root, third.file)));
    await until(`${third.file} gone from Dataset/green`, () => !existsSync(byEnter));
    expect(existsSync(byKey)).toBe(true);
    expect(existsSync(reference)).toBe(true);
    await until(
      'the review badge after the undos',
      async () => (await badge.textContent()) === String(expected.length - 1),
    );
    await shot(page, 'review-undone');

    // Classes: counts, reference thumbnails, prompts, a new class, and how images are decided beside them.
    await page.getByTestId('nav-classes').click();
    await page.locator('[data-testid="classes"] > li').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="classes"] > li h2').allTextContents()).toEqual(
      expect.arrayContaining(['red', 'green', 'blue', 'yellow']),
    );
    const red = page.locator('[data-testid="classes"] > li', {
      has: page.locator('h2', { hasText: /^red$/ }),
    });
    expect(await red.getByTestId('class-prompts').textContent()).toContain('red');
    await until('the thumbnails loaded', () => thumbnailsLoaded(page));
    await page.getByTestId('sort-settings').waitFor({ timeout: 10_000 });
    // A name that cannot be a folder as typed shows as it will be saved, and why, before it is created.
    const newName = page.getByPlaceholder('New class name');
    const namePreview = page.getByTestId('class-name-preview');
    await newName.fill('../evil');
    expect(await page.getByTestId('class-saved-name').textContent()).toBe('_evil');
    expect(await namePreview.locator('li').allTextContents()).toEqual([
      `“/” ${en['classes.unsafe.character']}`,
      en['classes.unsafe.edges'],
    ]);
    await newName.fill('con');
    expect(await page.getByTestId('class-saved-name').textContent()).toBe('con_');
    await newName.fill('a/b');
    await shot(page, 'classes-unsafe-name');
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.locator('[data-testid="classes"] > li h2', { hasText: /^a_b$/ }).waitFor({ timeout: 10_000 });
    expect(existsSync(path.join(root, 'Classes/a_b'))).toBe(true);
    expect(existsSync(path.join(root, 'a'))).toBe(false);
    // A name saved as typed needs no word.
    await newName.fill('purple');
    expect(await namePreview.textContent()).toBe('');
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.locator('[data-testid="classes"] > li h2', { hasText: 'purple' }).waitFor({ timeout: 10_000 });
    expect(existsSync(path.join(root, 'Classes/purple'))).toBe(true);
    await shot(page, 'classes');

    // Settings: the model found, the mode and the threads saved; the language and theme switch.
    await page.getByTestId('nav-settings').click();
    const modelState = page.getByTestId('model-state');
    await modelState.waitFor({ timeout: 10_000 });
    expect(await modelState.getAttribute('data-usable')).toBe('true');
    expect(await page.getByTestId('model-panel').textContent()).toContain(colourModelDir);
    const sorting = page.getByTestId('sort-settings');
    await sorting.locator('select[name="mode"]').selectOption('max');
    expect(await sorting.textContent()).toContain('Wait for new files');
    await sorting.locator('input[name="quietSeconds"]').fill('3');
    // Class folders named in Spanish (French on a Spanish computer, where Spanish is the default already).
    const computer = new Intl.Locale(Intl.DateTimeFormat().resolvedOptions().locale).language;
    const classLanguage = computer === 'es' ? 'fr' : 'es';
    await sorting.getByTestId('class-language').selectOption(classLanguage);
    await sorting.getByRole('button', { name: 'Save' }).click();
    await sorting.getByText('Saved.').waitFor({ timeout: 10_000 });
    const performance = page.getByTestId('performance-settings');
    expect(await performance.locator('select[name="provider"]').inputValue()).toBe('cpu');
    await performance.locator('input[name="threads"]').fill('2');
    await performance.getByRole('button', { name: 'Save' }).click();
    await performance.getByText('Saved.').waitFor({ timeout: 20_000 });
    await shot(page, 'settings');
    // Both are kept: the page reads them back after a reload.
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await until(
      'the threads read back',
      async () => (await performance.locator('input[name="threads"]').inputValue()) === '2',
    );
    expect(await page.getByTestId('sort-settings').locator('select[name="mode"]').inputValue()).toBe('max');
    expect(await page.getByTestId('sort-settings').locator('input[name="quietSeconds"]').inputValue()).toBe(
      '3',
    );
    expect(await page.getByTestId('class-language').inputValue()).toBe(classLanguage);
    expect(JSON.parse(readFileSync(path.join(root, '.clipsort/settings.json'), 'utf8'))).toMatchObject({
      mode: 'max',
      quietSeconds: 3,
      classLanguage,
    });
    await page.getByTestId('language').selectOption('es');
    await page.getByTestId('nav-settings').getByText('Ajustes').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('performance-settings').textContent()).toContain('Hilos');
    await page.getByTestId('theme').selectOption('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await shot(page, 'settings-es-dark');
    await page.getByTestId('nav-activity').click();
    await until('the activity thumbnails loaded', () => thumbnailsLoaded(page));
    expect(await page.getByTestId('unreadable').textContent()).toContain(es['error.code.image-unsupported']);
    await shot(page, 'activity-es-dark');

    // The strict CSP let everything run: no refused script or style, no uncaught error, no failed request.
    expect(problems).toEqual([]);

    // The server going away shows on the indicator.
    await serve.stop();
    await connection(page, 'offline');
  });
});
