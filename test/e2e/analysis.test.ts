/**
 * The Clusters, Evaluation and Search views in a real headless Chromium against a real `clipsort serve` on the
 * colour model, over a sorted colour library (four colours, five images each: two references and three sorted),
 * so every number has an answer known in advance. Screenshots go to test/artifacts/. Skipped where Chromium is
 * not installed.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../electron/api/contract/index.js';
import { invoke } from '../api/http.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { en } from '../../renderer/src/i18n/en.js';
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

const colourNames = Object.keys(COLOURS);

/**
 * The colour of a library image of the colour library, from its folder: `Dataset/<colour>/…` or
 * `Classes/<colour>/…`.
 */
const colourOf = (file: string) => file.split('/')[1] ?? '';

/** The library paths a thumbnail grid shows, in order. */
async function filesIn(grid: Locator): Promise<string[]> {
  const items = await grid.locator('li[data-file]').all();
  return Promise.all(items.map(async (item) => (await item.getAttribute('data-file')) ?? ''));
}

/** Each point of a chart: its x, and the number at the end of its label. */
async function chartPoints(page: Page, testId: string): Promise<{ k: number; value: number }[]> {
  const points = await page.getByTestId(testId).locator('[data-x]').all();
  return Promise.all(
    points.map(async (point) => ({
      k: Number(await point.getAttribute('data-x')),
      value: Number((await point.getAttribute('aria-label'))?.split(' ').at(-1)?.replaceAll(',', '')),
    })),
  );
}

const title = browserTitle('the analysis views in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('groups, evaluates and searches a sorted colour library, and makes classes from groups', async () => {
    const root = await tempDir();
    // The patch of another colour in each picture is kept small, so that no picture's mean colour strays towards
    // another class: the colour model sees each image as the colour it is named after, and groups have one right
    // answer.
    const expected = await makeColourLibrary(root, 0.05);
    runClipsortJson(['sort', root, '--model-dir', colourModelDir, '--threads', '1']);
    for (const { file, colour } of expected) {
      expect(existsSync(path.join(root, 'Dataset', colour, path.basename(file))), file).toBe(true);
    }
    const { serve, page, problems } = await open(root);
    await connection(page, 'online');

    // Clusters: the elbow and silhouette charts load by themselves, for k = 2…15.
    await page.getByTestId('nav-clusters').click();
    const inertiaPoints = page.getByTestId('elbow-chart').locator('[data-x]');
    await until('the elbow chart', async () => (await inertiaPoints.count()) === 14, 60_000);
    const inertia = await chartPoints(page, 'elbow-chart');
    const silhouette = await chartPoints(page, 'silhouette-chart');
    expect(inertia.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(inertia.every((p) => Number.isFinite(p.value) && p.value >= 0)).toBe(true);
    expect(inertia[0]!.value).toBeGreaterThan(inertia.at(-1)!.value);
    // Four tight colour groups: splitting them further only lowers the silhouette.
    expect(silhouette).toHaveLength(14);
    expect(await textOf(page, 'best-k')).toBe('k = 4');
    const best = silhouette.find((p) => p.k === 4)!.value;
    expect(best).toBeGreaterThan(0.5);
    expect(silhouette.every((p) => p.value <= best)).toBe(true);
    // k starts at the best silhouette.
    expect(await page.getByTestId('cluster-k').inputValue()).toBe('4');

    // Clicking a k on a chart puts it in the form.
    await page.getByTestId('silhouette-chart').locator('[data-x="7"]').click();
    expect(await page.getByTestId('cluster-k').inputValue()).toBe('7');
    await page.getByTestId('elbow-chart').locator('[data-x="4"]').click();
    expect(await page.getByTestId('cluster-k').inputValue()).toBe('4');

    // k-means with k = 4: four galleries of five, each of one colour.
    await page.getByTestId('cluster-run').click();
    const clusterCards = page.getByTestId('cluster');
    await until('four groups', async () => (await clusterCards.count()) === 4);
    const groups: string[][] = [];
    for (let i = 0; i < 4; i++) groups.push(await filesIn(clusterCards.nth(i)));
    for (const [i, files] of groups.entries()) {
      expect(files).toHaveLength(5);
      expect(new Set(files.map(colourOf)).size, files.join(', ')).toBe(1);
      // Each group says which class its images hold, from their folders.
      const mostly = (await clusterCards.nth(i).getByTestId('cluster-mostly').textContent())!;
      expect(mostly.replace(/\s+/g, ' ').trim()).toBe(
        `${en['clusters.mostly']} ${colourOf(files[0]!)}: 5 ${en['clusters.of']} 5`,
      );
    }
    expect(groups.map((files) => colourOf(files[0]!)).sort()).toEqual([...colourNames].sort());
    expect(Number(await textOf(page, 'cluster-silhouette'))).toBeCloseTo(best, 2);
    await until('the gallery thumbnails', () => thumbnailsLoaded(page));
    await shot(page, 'clusters');

    // DBSCAN: the k-distance curve suggests an eps; with it the four colours come out again, without noise.
    await page.getByTestId('cluster-method').selectOption('dbscan');
    await page.getByTestId('k-distance-chart').waitFor({ timeout: 30_000 });
    const suggested = Number(await textOf(page, 'suggested-eps'));
    expect(suggested).toBeGreaterThan(0);
    await page.getByTestId('use-eps').click();
    expect(Number(await page.getByTestId('cluster-eps').inputValue())).toBeCloseTo(suggested, 2);
    await page.getByTestId('cluster-run').click();
    await until('DBSCAN groups', async () => (await textOf(page, 'cluster-summary')).startsWith('DBSCAN'));
    await until('four DBSCAN groups', async () => (await clusterCards.count()) === 4);
    for (let i = 0; i < 4; i++)
      expect(new Set((await filesIn(clusterCards.nth(i))).map(colourOf)).size).toBe(1);
    expect(await page.getByTestId('noise').count()).toBe(0);
    await shot(page, 'clusters-dbscan');

    // Evaluation: a captions file for the sorted images. Four rows caption their image's colour and one a red
    // image as "cyan", the opposite of red, so exactly four of the five images rank their own caption first.
    await page.getByTestId('nav-evaluation').click();
    const captions = path.join(await tempDir(), 'captions.csv');
    await writeFile(
      captions,
      [
        'filename,category,caption',
        'red-0.jpg,red,a photo of something red',
        'green-0.jpg,green,"a green thing, close up"',
        'blue-0.jpg,blue,a blue picture',
        'yellow-0.jpg,yellow,a bright yellow object',
        'red-1.png,red,something cyan',
        'lost.jpg,red,an image that is not there',
      ].join('\n'),
    );
    // The file picker is the page's own, in its language: the browser's button is hidden behind it.
    expect(await textOf(page, 'captions-choose')).toBe(en['evaluation.chooseFile']);
    expect(await textOf(page, 'captions-file-name')).toBe(en['evaluation.noFile']);
    expect((await page.getByTestId('captions-file').boundingBox())!.width).toBeLessThanOrEqual(1);
    await page.getByTestId('captions-file').setInputFiles(captions);
    expect(await textOf(page, 'captions-file-name')).toBe('captions.csv');
    expect(await page.getByTestId('captions-folder').inputValue()).toBe('Dataset');
    await page.getByTestId('captions-run').click();
    await until('the top-1 score', async () => (await page.getByTestId('top1').count()) > 0);
    expect(await textOf(page, 'top1')).toBe('80%');
    // Five captions: every image's own caption is among the first five.
    expect(await textOf(page, 'top5')).toBe('100%');
    expect(Number(await textOf(page, 'diagonal'))).toBeGreaterThan(
      Number(await textOf(page, 'off-diagonal')),
    );
    await page.getByTestId('captions-missing').locator('summary').click();
    expect(await page.getByTestId('captions-missing').textContent()).toContain('lost.jpg');
    // Pointing at the first cell shows red-0's image, its caption and their similarity.
    const plot = page.getByTestId('captions-heatmap').locator('canvas');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 10, box.y + box.height / 10);
    const tip = page.getByTestId('captions-heatmap').getByTestId('heatmap-tip');
    await tip.waitFor({ timeout: 5_000 });
    expect(await tip.textContent()).toContain('Dataset/red/red-0.jpg');
    expect(await tip.textContent()).toContain('a photo of something red');
    await until('the tooltip thumbnail', () => thumbnailsLoaded(page));
    await shot(page, 'evaluation');
    await page.mouse.move(0, 0);
    await tip.waitFor({ state: 'detached', timeout: 5_000 });
    // The keyboard reaches the cells too: the first arrow lands on the first cell, the next moves down a row.
    const imageMatrix = page.getByTestId('image-matrix');
    await imageMatrix.getByRole('application').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const keyTip = imageMatrix.getByTestId('heatmap-tip');
    await keyTip.waitFor({ timeout: 5_000 });
    expect(await keyTip.textContent()).toMatch(
      /Images: Dataset\/red\/red-1\.png.*Images: Dataset\/red\/red-0\.jpg/,
    );

    // Which mode suits the classes: an accuracy per mode, a recommendation, and switching to it.
    await page.getByTestId('modes-run').click();
    await page.getByTestId('recommended-mode').waitFor({ timeout: 60_000 });
    const bars = await Promise.all(
      (await page.getByTestId('mode-accuracy').locator('[data-key]').all()).map((bar) =>
        bar.getAttribute('data-key'),
      ),
    );
    expect(bars).toEqual([...MODES]);
    const recommended = await textOf(page, 'recommended-mode');
    expect(MODES).toContain(recommended);
    // The recommended mode is one of the most accurate ones.
    const accuracies = await Promise.all(
      (await page.getByTestId('mode-accuracy').locator('[data-key]').all()).map(
        async (bar) => Number.parseFloat((await bar.getAttribute('aria-label'))?.split(': ')[1] ?? '') || 0,
      ),
    );
    expect(accuracies[MODES.indexOf(recommended as (typeof MODES)[number])]).toBe(Math.max(...accuracies));
    // Every reference is nearest its own colour, so the best mode recognises them all.
    expect(Math.max(...accuracies)).toBe(100);
    await page.getByTestId('confusion').waitFor({ timeout: 5_000 });
    // A few references cannot support a promise about errors: the page says so, as the command line does.
    const calibration = page.getByTestId('calibration');
    expect(await calibration.getAttribute('data-filed')).toBe('false');
    expect(await calibration.textContent()).toContain(en['calibration.tooFew']);
    // The curve of errors against photos filed, for the mode shown: avg's cosines differ from image to image.
    await page.getByTestId('confusion-mode').selectOption('avg');
    await page.getByTestId('risk-coverage').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('risk-coverage').locator('svg').getAttribute('aria-label')).toContain(
      '(avg)',
    );
    // Sorting with another mode first, the page offers the recommended one, and applying it saves it.
    const other = MODES.find((mode) => mode !== recommended)!;
    await invoke(serve.origin, serve.token, 'settings.set', { mode: other });
    await page.getByTestId('modes-run').click();
    await until('the other mode in use', async () => (await textOf(page, 'mode-in-use')) === other);
    await page.getByTestId('apply-mode').click();
    await page.getByTestId('recommended-in-use').waitFor({ timeout: 10_000 });
    expect(await textOf(page, 'mode-in-use')).toBe(recommended);
    const stored = JSON.parse(await readFile(path.join(root, '.clipsort/settings.json'), 'utf8')) as {
      mode: string;
    };
    expect(stored.mode).toBe(recommended);
    await shot(page, 'evaluation-modes');
    // A class without reference images is marked in the confusion matrix, and a note says why.
    await invoke(serve.origin, serve.token, 'classes.create', { name: 'purple' });
    await page.getByTestId('modes-run').click();
    await until(
      'the unreferenced note',
      async () => (await page.getByTestId('confusion-unreferenced').count()) > 0,
    );
    expect((await textOf(page, 'confusion-unreferenced')).replace(/\s+/g, ' ')).toBe(
      `∅ ${en['evaluation.noReferences']}: purple`,
    );
    const marked = page.getByTestId('confusion').locator('text[data-empty]');
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toContain('∅ purple');

    // A captions file none of whose images is there: the page says where it looked.
    const lost = path.join(await tempDir(), 'lost.csv');
    await writeFile(lost, ['filename,category,caption', 'gone-0.jpg,red,a', 'gone-1.jpg,,b'].join('\n'));
    await page.getByTestId('captions-file').setInputFiles(lost);
    await page.getByTestId('captions-run').click();
    const lookedIn = page.getByTestId('captions-looked-in');
    await lookedIn.waitFor({ timeout: 30_000 });
    expect((await lookedIn.textContent())!.replace(/\s+/g, ' ')).toContain(
      `${en['evaluation.lookedIn']} Dataset/ ${en['evaluation.lookedInCategories']} Dataset/<category>/.`,
    );
    expect(await page.getByTestId('error').getAttribute('data-code')).toBe('captions-no-images');

    // Search: "red" finds the five red images first.
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-query').fill('red');
    await page.getByTestId('search-go').click();
    const results = page.getByTestId('search-results');
    await results.waitFor({ timeout: 30_000 });
    const found = await filesIn(results);
    // The relevance cut keeps the five reds and says how many it left out; "show all" lists the rest.
    expect(found.map(colourOf)).toEqual(Array(5).fill('red'));
    expect(await textOf(page, 'search-cut')).toBe(`15 ${en['search.cut.other']}`);
    const names = await results.getByTestId('search-result-name').allTextContents();
    expect(names).toEqual(found.map((file) => path.basename(file)));
    await page.getByTestId('search-all').click();
    await until('every image listed', async () => (await filesIn(results)).length === 20);
    expect(await page.getByTestId('search-cut').count()).toBe(0);
    expect(await textOf(page, 'search-summary')).toContain(en['search.showingAll']);
    expect((await filesIn(results)).slice(0, 5)).toEqual(found);
    // Near-duplicates: at a high threshold, images group only with images of their own colour.
    await page.getByTestId('duplicate-threshold').fill('0.98');
    await page.getByTestId('duplicates-go').click();
    const duplicateGroups = page.getByTestId('duplicate-groups').locator(':scope > li');
    await duplicateGroups.first().waitFor({ timeout: 30_000 });
    for (let i = 0; i < (await duplicateGroups.count()); i++) {
      const files = await filesIn(duplicateGroups.nth(i));
      expect(files.length).toBeGreaterThanOrEqual(2);
      expect(new Set(files.map(colourOf)).size, files.join(', ')).toBe(1);
    }
    await until('the search thumbnails', () => thumbnailsLoaded(page));
    await shot(page, 'search');

    // A class from a group: back to k-means (the Clusters view kept its groups while away).
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('cluster-method').selectOption('kmeans');
    await page.getByTestId('cluster-run').click();
    await until('k-means groups', async () => (await textOf(page, 'cluster-summary')).startsWith('k-means'));
    const cardOf = async (colour: string) => {
      for (let i = 0; i < (await clusterCards.count()); i++) {
        const files = await filesIn(clusterCards.nth(i));
        if (colourOf(files[0]!) === colour) return { card: clusterCards.nth(i), files };
      }
      throw new Error(`no group of ${colour}`);
    };

    // Copied (the default): the originals stay, Classes/warm/ holds byte-identical copies.
    const red = await cardOf('red');
    await red.card.getByTestId('cluster-class-name').fill('warm');
    expect(await red.card.getByTestId('cluster-move').isChecked()).toBe(false);
    await red.card.getByTestId('cluster-create').click();
    await red.card.getByTestId('cluster-outcome').waitFor({ timeout: 30_000 });
    expect(await red.card.getByTestId('cluster-outcome').textContent()).toContain('Classes/warm');
    const warm = await readdir(path.join(root, 'Classes/warm'));
    expect(warm).toHaveLength(5);
    for (const file of red.files) {
      const original = await readFile(path.join(root, file));
      expect(warm).toContain(path.basename(file));
      expect(
        (await readFile(path.join(root, 'Classes/warm', path.basename(file)))).equals(original),
        file,
      ).toBe(true);
    }

    // Moved: the images leave their folders for Classes/cool/, and the gallery follows them there.
    const blue = await cardOf('blue');
    await blue.card.getByTestId('cluster-class-name').fill('cool');
    await blue.card.getByTestId('cluster-move').check();
    // The group holds blue's reference images: they go too only when ticked.
    const references = blue.files.filter((file) => file.startsWith('Classes/')).length;
    expect(references).toBeGreaterThan(0);
    const label = (await blue.card.getByTestId('move-references-label').textContent())!.replace(/\s+/g, ' ');
    expect(label).toContain(
      `${en['move.alsoReferences']} ${references} ${en[references === 1 ? 'move.reference.one' : 'move.reference.other']}`,
    );
    await blue.card.getByTestId('move-references').check();
    await blue.card.getByTestId('cluster-create').click();
    await blue.card.getByTestId('cluster-outcome').waitFor({ timeout: 30_000 });
    expect(await blue.card.getByTestId('cluster-outcome').textContent()).toContain('Moved');
    expect((await readdir(path.join(root, 'Classes/cool'))).sort()).toEqual(
      blue.files.map((f) => path.basename(f)).sort(),
    );
    for (const file of blue.files) expect(existsSync(path.join(root, file)), file).toBe(false);
    const followed = await filesIn(blue.card);
    expect(followed.every((file) => file.startsWith('Classes/cool/'))).toBe(true);
    expect(await blue.card.getByTestId('cluster-mostly').textContent()).toMatch(/cool:\s+5\s+of\s+5/);
    await until('the moved thumbnails', () => thumbnailsLoaded(page));
    await shot(page, 'clusters-class');

    // Acting on search results: open one, move one into another class, and show one on the map.
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-query').fill('green');
    await page.getByTestId('search-go').click();
    await until('the green results', async () => (await textOf(page, 'search-summary')).includes('“green”'));
    const greens = await filesIn(results);
    expect(greens.map(colourOf)).toEqual(Array(5).fill('green'));
    const resultCard = (file: string) => results.locator(`li[data-file="${file}"]`);
    const sortedGreen = greens.find((file) => file.startsWith('Dataset/'))!;
    const referenceGreen = greens.find((file) => file.startsWith('Classes/'))!;
    await resultCard(sortedGreen).getByTestId('search-open').click();
    const viewer = page.getByTestId('map-viewer');
    await viewer.waitFor({ timeout: 5_000 });
    expect(await viewer.getAttribute('aria-label')).toBe(sortedGreen);
    expect(await viewer.textContent()).toContain(`${en['map.kind.sorted']} · green`);
    await viewer.getByRole('button', { name: en['map.close'] }).click();
    await viewer.waitFor({ state: 'detached', timeout: 5_000 });
    // Only a reference image offers to move references.
    expect(await resultCard(referenceGreen).getByTestId('move-references-label').count()).toBe(1);
    expect(await resultCard(sortedGreen).getByTestId('move-references-label').count()).toBe(0);
    await resultCard(sortedGreen).getByTestId('search-move-to').selectOption('yellow');
    await resultCard(sortedGreen).getByTestId('search-move').click();
    const movedTo = `Dataset/yellow/${path.basename(sortedGreen)}`;
    await until('the move', async () => (await textOf(page, 'search-moved')).includes(movedTo));
    expect(existsSync(path.join(root, movedTo))).toBe(true);
    expect(existsSync(path.join(root, sortedGreen))).toBe(false);
    expect(await filesIn(results)).toContain(movedTo);
    await shot(page, 'search-actions');
    await resultCard(movedTo).getByTestId('search-show-on-map').click();
    expect(await page.locator('main > h1').textContent()).toBe(en['nav.map']);
    const selected = page.getByTestId('map-selected');
    await until(
      'the image selected on the map',
      async () => (await selected.getAttribute('data-count')) === '1',
    );
    expect(await page.getByTestId('map-selection').locator(`[title="${movedTo}"]`).count()).toBe(1);

    // The same view in Spanish and the dark theme.
    await page.evaluate(
      "localStorage.setItem('clipsort.language', 'es'); localStorage.setItem('clipsort.theme', 'dark')",
    );
    await page.reload();
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('elbow-chart').waitFor({ timeout: 60_000 });
    expect(await page.locator('main > h1').textContent()).toBe('Grupos');
    await shot(page, 'clusters-es-dark');

    // The strict CSP let everything run: no refused script or style, no uncaught error.
    expect(problems).toEqual([]);
  });
});
