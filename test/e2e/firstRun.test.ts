/**
 * The first-run view in a real headless Chromium against `clipsort serve` with no model anywhere: the page says
 * the library is fixed and which it is, shows that there is no model yet (not as an error), downloads the model
 * from a local catalogue with a visible progress bar, and once the model is there lets a person into the app,
 * where the downloaded model sorts. Screenshots go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, hasChromium, shot, textOf, until, useServedPage } from './browser.js';

/** A second catalogue model, as a person with Spanish folder names would choose it. */
const SPANISH_MODEL = 'fake-multilingual';
const SPANISH_FACTS = {
  languages: ['en', 'es', 'fr', 'de'],
  strengths: ['multilingual', 'best-spanish'],
  figures: { crossmodal3600Recall: { en: 70.1, es: 74.2 }, msPerImage: 3.2, sources: ['measured here'] },
};

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
  /** `clipsort serve` on `root` with no model anywhere: an empty models home and `catalogue` as the catalogue. */
  const openWithoutModel = async (root: string, modelsHome: string, from: FakeCatalogue) =>
    open(root, {
      modelDir: null,
      env: {
        CLIPSORT_MODELS_HOME: modelsHome,
        CLIPSORT_MANIFEST: await from.writeTo(await tempDir()),
        CLIPSORT_CONFIG_HOME: await tempDir(),
      },
    });

  it('shows the missing model, downloads it with visible progress, and lets a person in', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const modelsHome = await tempDir();
    // The text encoder trickles in, so that the progress can be seen while it downloads.
    catalogue = await serveFakeCatalogue(await colourModelFiles(), {
      tweak: (file, served) => {
        if (file === 'onnx/text_model.onnx') served.throttle = { chunkBytes: 2_048, delayMs: 100 };
      },
      more: [{ id: SPANISH_MODEL, name: 'Fake multilingual CLIP', ...SPANISH_FACTS }],
    });
    const { page, problems } = await openWithoutModel(root, modelsHome, catalogue);

    // The library is the one serve was started on; no model yet is a neutral state, not an error.
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor({ timeout: 10_000 });
    expect(await textOf(page, 'library-path')).toBe(root);
    expect(await textOf(page, 'library-fixed')).toBe(en['firstRun.libraryFixed']);
    const modelState = page.getByTestId('model-state');
    await until('the missing model', async () => (await modelState.getAttribute('data-state')) === 'missing');
    const step = page.getByTestId('first-run-model');
    expect(await textOf(page, 'model-missing')).toBe(en['model.missingHint']);
    expect(await step.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('first-run-enter').isDisabled()).toBe(true);
    expect(await page.getByTestId('download-start').textContent()).toBe(en['download.start']);
    // The browser imports by a path on the computer that runs serve (there is no folder picker).
    expect(await page.getByTestId('model-import-path').isVisible()).toBe(true);
    await shot(page, 'first-run');

    // The same in Spanish.
    await page.getByTestId('first-run-language').selectOption('es');
    await until(
      'the Spanish hint',
      async () => (await textOf(page, 'model-missing')) === es['model.missingHint'],
    );
    await shot(page, 'first-run-es');
    await page.getByTestId('first-run-language').selectOption('en');

    // The catalogue's models to choose from, each with what it reads and is best at; the chosen one is fetched.
    const choice = page.getByTestId('model-choice');
    expect(await choice.locator('option').allTextContents()).toEqual(['Fake CLIP', 'Fake multilingual CLIP']);
    const facts = page.getByTestId('first-run-model').getByTestId('model-facts');
    await choice.selectOption(SPANISH_MODEL);
    await until('the facts of the chosen model', async () =>
      ((await facts.getByTestId('model-strengths').textContent()) ?? '').includes(
        en['model.strength.best-spanish'],
      ),
    );
    expect(await facts.getByTestId('model-languages').textContent()).toMatch(
      /English, Spanish, French, and 1/,
    );
    expect(await facts.getByTestId('model-recall').textContent()).toMatch(/\(English\): 70\.1 %/);
    await shot(page, 'first-run-choice');

    // Download: the bar, bytes, share and speed move while the slow file arrives.
    await page.getByTestId('download-start').click();
    const figures = page.getByTestId('download-figures');
    const bar = page.getByTestId('download-progress');
    await until('a part downloaded', async () => {
      const value = Number((await bar.getAttribute('value')) ?? '0');
      return value > 0 && value < 100;
    });
    // Read once the speed is there: the figures change with every chunk.
    const shown = async () => ((await figures.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    await until('a speed measured', async () => /\/s/.test(await shown()));
    expect(await shown()).toMatch(/^[\d.]+ k?B of [\d.]+ kB · \d+% · [\d.]+ k?B\/s$/);
    expect(await page.getByTestId('download-cancel').isVisible()).toBe(true);
    await shot(page, 'first-run-downloading');

    // Done: the model is there, and the way in opens.
    await until(
      'the model usable',
      async () => (await modelState.getAttribute('data-usable')) === 'true',
      60_000,
    );
    expect(existsSync(path.join(modelsHome, SPANISH_MODEL, 'onnx/text_model.onnx'))).toBe(true);
    expect(existsSync(path.join(modelsHome, catalogue.manifest.default))).toBe(false);
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

  it('stops a failed download with one error and "Try again", then uses a folder imported by path', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const modelsHome = await tempDir();
    catalogue = await serveFakeCatalogue(await colourModelFiles(), {
      tweak: (file, served) => {
        if (file === 'tokenizer.json')
          served.faults = Array.from({ length: 10 }, () => ({ kind: 'status', status: 404 }));
      },
    });
    const { page, problems } = await openWithoutModel(root, modelsHome, catalogue);
    const step = page.getByTestId('first-run-model');
    await page.getByTestId('download-start').click();
    const download = page.getByTestId('model-download');
    await until('the download to fail', async () => (await download.getAttribute('data-state')) === 'failed');
    // Nothing moves any more, one error says why, and the button tries again rather than "resuming" 0 B.
    expect(await page.getByTestId('download-progress').count()).toBe(0);
    expect(await step.getByRole('alert').count()).toBe(1);
    expect(await step.getByRole('alert').textContent()).toContain(en['error.code.download-failed']);
    expect(await page.getByTestId('download-start').textContent()).toBe(en['download.retry']);
    await shot(page, 'first-run-download-failed');

    // A model folder on this computer, given by its path, is imported and used.
    await page.getByTestId('model-import-path').fill(colourModelDir);
    await page.getByTestId('model-import').click();
    const modelState = page.getByTestId('model-state');
    await until(
      'the model usable',
      async () => (await modelState.getAttribute('data-usable')) === 'true',
      30_000,
    );
    expect(existsSync(path.join(modelsHome, 'colour-clip', 'onnx/text_model.onnx'))).toBe(true);
    await page.getByTestId('first-run-enter').click();

    // Settings lists both models; a second folder imported there is used, and the picker goes back to the first.
    const spare = path.join(await tempDir(), 'spare-clip');
    await cp(colourModelDir, spare, { recursive: true });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('model-import-path').fill(spare);
    await page.getByTestId('model-import').click();
    const picker = page.getByTestId('model-pick');
    await until(
      'the picker on the new model',
      async () => (await picker.count()) > 0 && (await picker.inputValue()) === 'spare-clip',
    );
    await picker.selectOption('colour-clip');
    const inUse = page.locator('[data-testid="model-listing"]:has(.badge)');
    await until(
      'the first model in use again',
      async () => (await inUse.getAttribute('data-model')) === 'colour-clip',
    );
    expect(JSON.parse(await readFile(path.join(modelsHome, '.in-use.json'), 'utf8'))).toEqual({
      model: 'colour-clip',
    });
    // A catalogue model not installed can be downloaded from its line; installed ones cannot.
    const listing = (id: string) => page.locator(`[data-testid="model-listing"][data-model="${id}"]`);
    const fetchable = listing(catalogue.manifest.default).getByTestId('model-download-this');
    expect(await fetchable.isVisible()).toBe(true);
    expect(await fetchable.getAttribute('aria-label')).toBe(`${en['model.downloadThis']}: Fake CLIP`);
    expect(await listing('colour-clip').getByTestId('model-download-this').count()).toBe(0);
    expect(await listing(catalogue.manifest.default).getByTestId('model-facts').textContent()).toContain(
      `${en['model.licence']}: MIT`,
    );
    await shot(page, 'settings-models');
    expect(problems).toEqual([]);
  });
});
