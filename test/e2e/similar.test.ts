/**
 * "Similar images" as a person finds them in Chromium: one image chosen on the map, then one of the results in
 * the Search view, each listing the images most like it in the order `clipsort similar` gives. Skipped without
 * Chromium.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { en } from '../../renderer/src/i18n/en.js';
import { fitLayout, MAP_PADDING, placePoints } from '../../renderer/src/lib/map/viewport.js';
import { invoke } from '../api/http.js';
import type { ServeProcess } from '../api/serveProcess.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { unpacked } from '../helpers/mapAnswer.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, connection, hasChromium, until, useServedPage } from './browser.js';

const canvas = '[data-testid="map-canvas"]';
const model = ['--model-dir', colourModelDir];

/** A point far from every other, where the page draws it. */
async function lonePoint(page: Page, serve: ServeProcess) {
  const answer = await invoke<CommandResult<'map.points'>>(serve.origin, serve.token, 'map.points', {});
  const { points } = unpacked(answer);
  const box = (await page.locator(canvas).boundingBox())!;
  const { xs, ys } = placePoints(points, fitLayout(points, box, MAP_PADDING));
  const at = points.map((point, i) => ({ file: point.file, px: box.x + xs[i]!, py: box.y + ys[i]! }));
  return at.find((p) => at.every((q) => q === p || Math.hypot(q.px - p.px, q.py - p.py) >= 20))!;
}

/** The files the Search view lists, in order. */
async function listed(page: Page): Promise<string[]> {
  const cards = await page.getByTestId('search-result').all();
  return Promise.all(cards.map(async (card) => (await card.getAttribute('data-file')) ?? ''));
}

describe.skipIf(!hasChromium)(
  browserTitle('similar images from the map and from a search, in Chromium'),
  () => {
    const tempDir = useTempDirs();
    const open = useServedPage();

    it('lists the images like a chosen one, as the command line does, and searches by a result in turn', async () => {
      const root = await tempDir();
      await makeColourLibrary(root);
      await copyFile(path.join(root, 'Images/red-0.jpg'), path.join(root, 'Images/red-0 copy.jpg'));
      runClipsortJson(['sort', root, ...model, '--threads', '1']);
      const { serve, page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
      await connection(page, 'online');
      await page.getByTestId('nav-map').click();
      await page.locator(`${canvas}[data-drawn]:not([data-drawn="0"])`).waitFor({ timeout: 30_000 });

      // One image chosen on the map: "Similar images" opens Search with the images most like it.
      expect(await page.getByTestId('map-similar').count()).toBe(0);
      const lone = await lonePoint(page, serve);
      await page.mouse.click(lone.px, lone.py);
      await page.getByTestId('map-similar').click();
      await page.getByTestId('search-like').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('search-like').textContent()).toBe(lone.file);
      expect(await page.getByTestId('search-summary').textContent()).toContain(en['search.resultsLike']);
      type Similar = { file: string; results: { file: string }[]; cut: number };
      const cli = runClipsortJson<Similar>(['similar', root, lone.file, '--limit', '60', ...model]);
      await until('the results listed', async () => (await listed(page)).length === cli.results.length);
      expect(await listed(page)).toEqual(cli.results.map((r) => r.file));
      expect(await listed(page)).not.toContain(lone.file);

      // A text search, every image listed, then one result's own "Similar images": red-0's copy comes first.
      await page.getByTestId('search-query').fill('red');
      await page.getByTestId('search-go').click();
      await until('the text searched', async () => (await page.getByTestId('search-like').count()) === 0);
      await page.getByTestId('search-all').click();
      const everyImage = cli.results.length + cli.cut + 1;
      await until('every image listed', async () => (await listed(page)).length === everyImage);
      const from = (await listed(page)).find((file) => /red-0\.jpg$/.test(file))!;
      expect(from).toBeDefined();
      const card = page.locator(`[data-testid="search-result"][data-file="${from}"]`);
      await card.getByTestId('search-similar').click();
      await until(
        'the new search',
        async () => (await page.getByTestId('search-like').textContent()) === from,
      );
      const again = runClipsortJson<Similar>(['similar', root, from, '--limit', '60', ...model]);
      expect(again.results[0]!.file).toMatch(/red-0 copy\.jpg$/);
      await until('its results', async () => (await listed(page))[0] === again.results[0]!.file);
      expect(await listed(page)).toEqual(again.results.map((r) => r.file));
      // "Show all" lifts the cut for the image searched by, not for the text before it.
      expect(again.cut).toBeGreaterThan(0);
      await page.getByTestId('search-all').click();
      await until('all listed', async () => (await listed(page)).length === everyImage - 1);
      expect(await page.getByTestId('search-like').textContent()).toBe(from);
      expect(problems).toEqual([]);
    });
  },
);
