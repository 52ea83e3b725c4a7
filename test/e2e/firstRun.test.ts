/**
 * The first-run view in a real headless Chromium against `clipsort serve` with no model anywhere: the page says
 * the library is fixed and which it is, shows the missing model with its translated message, downloads the model
 * from a local catalogue with a visible progress bar, and once the model is there lets a person into the app,
 * where the downloaded model sorts. Screenshots go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

/**
 * Every file of the colour model, by model-relative path, to serve as a catalogue model. A catalogue lists both
 * variants of the encoders; the colour model has one, so the quantized names serve the same bytes (the default
 * full-precision download never fetches them).
 */
async function colourModelFiles(): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const entry of await readdir(colourModelDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.') || entry.name === 'README.md') continue;
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(colourModelDir, full).split(path.sep).join('/');
    files[relative] = await readFile(full);
    if (relative.endsWith('.onnx')) files[relative.replace(/\.onnx$/, '_quantized.onnx')] = files[relative];
  }
  return files;
}

const title = browserTitle('the first-run view in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  let catalogue: FakeCatalogue | undefined;
  afterEach(async () => {
    await catalogue?.server.close();
    catalogue = undefined;
  });
  // After-each hooks run last registered first: the server and browser close before the catalogue does.
  const open = useServedPage();

  it('shows the missing model, downloads it with visible progress, and lets a person in', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const modelsHome = await tempDir();
    // The text encoder trickles in, so that the progress can be seen while it downloads.
    catalogue = await serveFakeCatalogue(await colourModelFiles(), {
      tweak: (file, served) => {
        if (file === 'onnx/text_model.onnx') served.throttle = { chunkBytes: 2_048, delayMs: 100 };
      },
    });
    const { page, problems } = await open(root, {
      modelDir: null,
      env: {
        CLIPSORT_MODELS_HOME: modelsHome,
        CLIPSORT_MANIFEST: await catalogue.writeTo(await tempDir()),
        CLIPSORT_CONFIG_HOME: await tempDir(),
      },
    });

    // The library is the one serve was started on; the model is missing, with the reason translated.
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor({ timeout: 10_000 });
    expect(await textOf(page, 'library-path')).toBe(root);
    expect(await textOf(page, 'library-fixed')).toBe(en['firstRun.libraryFixed']);
    const modelState = page.getByTestId('model-state');
    await until('the missing model', async () => (await modelState.getAttribute('data-state')) === 'missing');
    const notice = page.getByTestId('first-run-model').locator('[data-code="model-missing"]');
    expect(await notice.textContent()).toContain(en['error.code.model-missing']);
    // The engine's own message, naming the folder it looked in, stays behind Details.
    expect(await notice.locator('details').textContent()).toContain(modelsHome);
    expect(await page.getByTestId('first-run-enter').isDisabled()).toBe(true);
    // No import here: a browser page may not reach other folders of the computer.
    expect(await page.getByTestId('model-import').count()).toBe(0);
    await shot(page, 'first-run');

    // The same in Spanish.
    await page.getByTestId('first-run-language').selectOption('es');
    await until('the Spanish message', async () =>
      ((await notice.textContent()) ?? '').includes(es['error.code.model-missing']),
    );
    await shot(page, 'first-run-es');
    await page.getByTestId('first-run-language').selectOption('en');

    // Download: the bar, bytes, share and speed move while the slow file arrives.
    await page.getByTestId('download-start').click();
    const figures = page.getByTestId('download-figures');
    const bar = page.getByTestId('download-progress');
    await until('a part downloaded', async () => {
      const value = Number((await bar.getAttribute('value')) ?? '0');
      return value > 0 && value < 100;
    });
    await until('a speed measured', async () => /\/s/.test((await figures.textContent()) ?? ''));
    const during = ((await figures.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(during).toMatch(/^[\d.]+ k?B of [\d.]+ kB · \d+% · [\d.]+ k?B\/s$/);
    expect(await page.getByTestId('download-cancel').isVisible()).toBe(true);
    await shot(page, 'first-run-downloading');

    // Done: the model is there, and the way in opens.
    await until(
      'the model usable',
      async () => (await modelState.getAttribute('data-usable')) === 'true',
      60_000,
    );
    expect(existsSync(path.join(modelsHome, catalogue.manifest.default, 'onnx/text_model.onnx'))).toBe(true);
    const enter = page.getByTestId('first-run-enter');
    await until('the way in open', async () => !(await enter.isDisabled()));
    await shot(page, 'first-run-ready');
    await enter.click();

    // In the app, the downloaded model sorts the inbox.
    await firstRun.waitFor({ state: 'detached', timeout: 10_000 });
    await until('the inbox count', async () => (await textOf(page, 'inbox')) === String(expected.length));
    await page.getByTestId('sort-toggle').click();
    await until(
      'every image sorted',
      async () => (await textOf(page, 'sorted-count')) === String(expected.length),
      60_000,
    );
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(true);
    }

    // The strict CSP let everything run: no refused script or style, no uncaught error, no failed request.
    expect(problems).toEqual([]);
  });
});
