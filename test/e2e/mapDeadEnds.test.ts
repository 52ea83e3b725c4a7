/**
 * The Map as a person uses it on a sorted colour library in Chromium: each class keeps a colour its name gives it
 * (red is red) across a new class and a reload; images on one spot show their count; a click selects and a
 * double-click opens; one wheel step (2×) already draws thumbnails and keeps the spot under the pointer; a move
 * has no class preselected and leaves reference images in their class unless ticked. Skipped without Chromium.
 */
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { color, hcl } from 'd3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MapPoint } from '../../electron/api/contract/mapPoints.js';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { en } from '../../renderer/src/i18n/en.js';
import { fitLayout, MAP_PADDING, placePoints } from '../../renderer/src/lib/map/viewport.js';
import { invoke } from '../api/http.js';
import type { ServeProcess } from '../api/serveProcess.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { unpacked } from '../helpers/mapAnswer.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { browserTitle, connection, hasChromium, pixelAt, shot, until, useServedPage } from './browser.js';

type MapPoints = CommandResult<'map.points'>;
type Placed = MapPoint & { px: number; py: number };
const canvas = '[data-testid="map-canvas"]';

async function placed(page: Page, serve: ServeProcess): Promise<Placed[]> {
  const { points } = unpacked(await invoke<MapPoints>(serve.origin, serve.token, 'map.points', {}));
  const box = (await page.locator(canvas).boundingBox())!;
  const { xs, ys } = placePoints(points, fitLayout(points, box, MAP_PADDING));
  return points.map((point, i) => ({ ...point, px: box.x + xs[i]!, py: box.y + ys[i]! }));
}

/** Each class's colour in the legend. */
async function legendColours(page: Page): Promise<Record<string, string>> {
  const items = page.locator('[data-testid="legend-colour"][data-class]');
  await items.first().waitFor({ timeout: 10_000 });
  const colours: Record<string, string> = {};
  for (const item of await items.all()) {
    colours[(await item.getAttribute('data-class'))!] = (await item.getAttribute('data-colour'))!;
  }
  return colours;
}

const hueOf = (css: string) => hcl(color(css)!).h;
const selectedCount = async (page: Page) =>
  Number(await page.getByTestId('map-selected').getAttribute('data-count'));

const title = browserTitle('the Map view as a person uses it, in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('keeps colours, counts stacks, selects and opens, zooms about the pointer, and keeps references', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // Two byte-identical copies of one image: three points on one spot.
    for (const copy of ['red-0 copy.jpg', 'red-0 copy 2.jpg']) {
      await copyFile(path.join(root, 'Images/red-0.jpg'), path.join(root, 'Images', copy));
    }
    runClipsortJson(['sort', root, '--model-dir', colourModelDir, '--threads', '1']);
    const { serve, page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');
    await page.getByTestId('nav-map').click();
    await page.locator(`${canvas}[data-drawn]:not([data-drawn="0"])`).waitFor({ timeout: 30_000 });

    // A class named for a colour is drawn in that colour (HCL hues: red 40°, green 130°, blue 280°, yellow 100°).
    const colours = await legendColours(page);
    expect(hueOf(colours.red!)).toBeCloseTo(40, -1);
    expect(hueOf(colours.green!)).toBeCloseTo(130, -1);
    expect(hueOf(colours.blue!)).toBeCloseTo(280, -1);
    expect(hueOf(colours.yellow!)).toBeCloseTo(100, -1);

    // The three copies share a spot, which says how many images it holds.
    let points = await placed(page, serve);
    expect(Number(await page.locator(canvas).getAttribute('data-stacks'))).toBe(1);
    const copy = points.find((p) => p.file.endsWith('red-0 copy.jpg'))!;
    await page.mouse.move(copy.px, copy.py);
    expect(await page.getByTestId('map-stacked').textContent({ timeout: 5_000 })).toBe(
      `3 ${en['map.stacked.other']}`,
    );
    await shot(page, 'map-stacked');

    // A click selects a point; a double-click opens it.
    const lone = points.find(
      (p) =>
        p.kind === 'sorted' && points.every((q) => q === p || Math.hypot(q.px - p.px, q.py - p.py) >= 20),
    )!;
    await page.mouse.click(lone.px, lone.py);
    await until('one point selected', async () => (await selectedCount(page)) === 1);
    expect(await page.getByTestId('map-viewer').count()).toBe(0);
    await page.mouse.dblclick(lone.px, lone.py);
    const viewer = page.getByTestId('map-viewer');
    await viewer.waitFor({ timeout: 5_000 });
    expect(await viewer.textContent()).toContain(lone.file);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', timeout: 5_000 });
    await page.keyboard.press('Escape');

    // One wheel step at a point doubles the zoom, keeps that point under the pointer, and draws thumbnails.
    await page.getByTestId('map-tool-pan').click();
    // Inside a 36-pixel thumbnail of the point, but background while dots are drawn.
    const edge = [lone.px + 13, lone.py + 13] as const;
    const background = await pixelAt(page, ...edge);
    await page.mouse.move(lone.px, lone.py);
    await page.mouse.wheel(0, -500);
    await page.mouse.move(lone.px + 1, lone.py);
    await page.mouse.move(lone.px, lone.py);
    const tooltip = page.getByTestId('map-tooltip');
    await until('the same point under the pointer', async () =>
      ((await tooltip.textContent({ timeout: 5_000 })) ?? '').includes(lone.file),
    );
    await until('a thumbnail drawn at 2×', async () =>
      (await pixelAt(page, ...edge)).some((v, i) => Math.abs(v - background[i]!) > 12),
    );
    await shot(page, 'map-zoom-2x');
    await page.getByRole('button', { name: 'Show all' }).click();

    // A box around blue, references and all: nothing is preselected, and the references stay unless ticked.
    points = await placed(page, serve);
    const blues = points.filter((p) => p.class === 'blue');
    const references = blues.filter((p) => p.kind === 'reference');
    expect(references.length).toBe(2);
    await page.getByTestId('map-tool-box').click();
    const xs = blues.map((p) => p.px);
    const ys = blues.map((p) => p.py);
    await page.mouse.move(Math.min(...xs) - 8, Math.min(...ys) - 8);
    await page.mouse.down();
    await page.mouse.move(Math.max(...xs) + 8, Math.max(...ys) + 8, { steps: 6 });
    await page.mouse.up();
    await until('the blue images selected', async () => (await selectedCount(page)) >= blues.length);
    expect(await page.getByTestId('map-move-to').inputValue()).toBe('');
    expect(await page.getByTestId('map-move').isDisabled()).toBe(true);
    const label = (await page.getByTestId('move-references-label').textContent())!.replace(/\s+/g, ' ');
    expect(label).toContain(`${en['move.alsoReferences']} 2 ${en['move.reference.other']}`);
    await page.getByTestId('map-move-to').selectOption('green');
    await page.getByTestId('map-move').click();
    const outcome = page.getByTestId('map-outcome');
    await outcome.waitFor({ timeout: 10_000 });
    for (const reference of references) expect(existsSync(path.join(root, reference.file))).toBe(true);
    expect(await outcome.textContent()).toContain(`${en['map.skipped']}: `);
    await shot(page, 'map-moved-keeping-references');
    await page.getByTestId('map-undo').click();
    await until('the move undone', () =>
      Promise.resolve(blues.every((p) => existsSync(path.join(root, p.file)))),
    );

    // A new class, then a reload: every class keeps its colour.
    await invoke(serve.origin, serve.token, 'classes.fromFiles', {
      name: 'aardvark',
      files: ['Classes/red/ref-0.png'],
    });
    // Sorting embeds the new class's reference image.
    await invoke(serve.origin, serve.token, 'sort.start', {});
    await page.reload();
    await page.getByTestId('nav-map').click();
    await until(
      'the new class in the legend',
      async () => {
        if ('aardvark' in (await legendColours(page))) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        return false;
      },
      30_000,
    );
    const after = await legendColours(page);
    for (const name of ['red', 'green', 'blue', 'yellow']) expect(after[name], name).toBe(colours[name]);

    expect(problems).toEqual([]);
  });
});
