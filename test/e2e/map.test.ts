/**
 * The Map view in a real headless Chromium against a real `clipsort serve` on the colour model, over a sorted
 * colour library: every embedded image is drawn, hovering names the image under the pointer, the colour switch
 * repaints the points, a box selection becomes a new class (copies, originals untouched), a lasso selection is
 * moved into another class and the move is undone, zooming in draws thumbnails, a double-click opens the image. Point
 * positions come from the same projection the page draws (`map.points`) laid out by the renderer's own layout
 * code. Screenshots go to test/artifacts/. Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { color, polygonCentroid, polygonHull } from 'd3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MapPoint } from '../../electron/api/contract/mapPoints.js';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { colourPoints } from '../../renderer/src/lib/map/colours.js';
import { indicesInPolygon, indicesInRect, type Vertex } from '../../renderer/src/lib/map/selection.js';
import { fitLayout, MAP_PADDING, placePoints } from '../../renderer/src/lib/map/viewport.js';
import { invoke } from '../api/http.js';
import type { ServeProcess } from '../api/serveProcess.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { unpacked } from '../helpers/mapAnswer.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes, walk } from '../helpers/tree.js';
import { browserTitle, connection, hasChromium, pixelAt, shot, until, useServedPage } from './browser.js';

type MapPoints = CommandResult<'map.points'>;
/** A point where the page draws it, in page pixels. */
type Placed = MapPoint & { px: number; py: number };

const canvas = '[data-testid="map-canvas"]';

const drawnCount = async (page: Page) => Number(await page.locator(canvas).getAttribute('data-drawn'));
const selectedCount = async (page: Page) =>
  Number(await page.getByTestId('map-selected').getAttribute('data-count'));

/** The points of the current projection where the page draws them (the view fitted, as when it opens). */
async function placedPoints(page: Page, serve: ServeProcess): Promise<Placed[]> {
  const { points } = unpacked(await invoke<MapPoints>(serve.origin, serve.token, 'map.points', {}));
  const box = await page.locator(canvas).boundingBox();
  if (!box) throw new Error('the map canvas is not on the page');
  const { xs, ys } = placePoints(points, fitLayout(points, box, MAP_PADDING));
  return points.map((point, i) => ({ ...point, px: box.x + xs[i]!, py: box.y + ys[i]! }));
}

/**
 * Waits until the page shows the projection `map.points` answers now (after an action reloads it), and returns
 * its points where the page draws them.
 */
async function settledPoints(page: Page, serve: ServeProcess): Promise<Placed[]> {
  let points: Placed[] = [];
  await until('the map redrawn', async () => {
    points = await placedPoints(page, serve);
    const count = (await page.getByTestId('map-count').textContent()) ?? '';
    return count.startsWith(`${points.length} `) && (await drawnCount(page)) === points.length;
  });
  return points;
}

/** A sorted point at least `room` pixels from every other, to point at unambiguously. */
function loneSorted(points: Placed[], room = 14): Placed {
  const lone = points.find(
    (p) =>
      p.kind === 'sorted' && points.every((q) => q === p || Math.hypot(q.px - p.px, q.py - p.py) >= room),
  );
  if (!lone) throw new Error('every sorted point has a close neighbour');
  return lone;
}

const rgbOf = (css: string) => {
  const { r, g, b } = color(css)!.rgb();
  return [r, g, b];
};
const near = (a: number[], b: number[], tolerance = 3) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

/** Drags the mouse through `path`, as a person drawing a box or lasso does. */
async function drag(page: Page, path: readonly Vertex[]) {
  const [start, ...rest] = path;
  await page.mouse.move(start![0], start![1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.up();
}

/** The hull around `points` pushed `margin` pixels outwards: a lasso drawn loosely around them. */
function lassoAround(points: readonly Placed[], margin: number): Vertex[] {
  const corners = points.map((p): Vertex => [p.px, p.py]);
  // A hull needs three corners; a pair (or one) gets a small square around each.
  const spread = corners.flatMap(([x, y]): Vertex[] => [
    [x - 1, y - 1],
    [x + 1, y - 1],
    [x + 1, y + 1],
    [x - 1, y + 1],
  ]);
  const hull = polygonHull(spread)!;
  const [cx, cy] = polygonCentroid(hull);
  return hull.map(([x, y]): Vertex => {
    const d = Math.hypot(x - cx, y - cy) || 1;
    return [x + ((x - cx) / d) * margin, y + ((y - cy) / d) * margin];
  });
}

const title = browserTitle('the Map view in Chromium');

describe.skipIf(!hasChromium)(title, () => {
  const tempDir = useTempDirs();
  const open = useServedPage();

  it('draws every image, selects with a box and a lasso, makes a class, moves and undoes', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    runClipsortJson(['sort', root, '--model-dir', colourModelDir, '--threads', '1']);
    const library = await treeHashes(root);
    const images = [...library.keys()].filter((file) => /^(Images|Classes|Dataset)\//.test(file));
    const { serve, page, problems } = await open(root, { env: { CLIPSORT_CONFIG_HOME: await tempDir() } });
    await connection(page, 'online');

    // Every embedded image of the library is drawn.
    await page.getByTestId('nav-map').click();
    let points = await settledPoints(page, serve);
    expect(points.map((p) => p.file).sort()).toEqual(images.sort());
    expect(points.filter((p) => p.kind === 'sorted')).toHaveLength(12);
    expect(await page.getByTestId('map-count').textContent()).toContain(String(images.length));
    for (const name of ['red', 'green', 'blue', 'yellow']) {
      expect(await page.getByTestId('map-legend').textContent()).toContain(name);
    }
    await shot(page, 'map-pca');

    // Hovering a point names it and shows its thumbnail.
    const target = loneSorted(points);
    await page.mouse.move(target.px, target.py);
    const tooltip = page.getByTestId('map-tooltip');
    await tooltip.waitFor({ timeout: 5_000 });
    expect(await tooltip.textContent()).toContain(target.file);
    await until('the tooltip thumbnail', async () =>
      tooltip.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
    );
    await shot(page, 'map-hover');
    await page.mouse.move(5, 5);
    await tooltip.waitFor({ state: 'detached', timeout: 5_000 });

    // The colour switch repaints: the point takes its class's colour, then its score's.
    const index = points.findIndex((p) => p.file === target.file);
    const expectedColour = (mode: 'class' | 'score') => {
      const { palette, index: slots } = colourPoints(points, mode);
      return rgbOf(palette[slots[index]!]!);
    };
    await until('the class colour', async () =>
      near(await pixelAt(page, target.px, target.py), expectedColour('class')),
    );
    await page.getByTestId('map-colour').selectOption('score');
    await page.getByTestId('map-ramp').waitFor({ timeout: 5_000 });
    await until('the score colour', async () =>
      near(await pixelAt(page, target.px, target.py), expectedColour('score')),
    );
    expect(near(expectedColour('class'), expectedColour('score'))).toBe(false);
    await shot(page, 'map-score');
    await page.getByTestId('map-colour').selectOption('predicted');
    await page.getByTestId('map-colour').selectOption('class');

    // A box around the green images, made a new class: copies in Classes/verdant/, originals untouched.
    const greens = points.filter((p) => p.class === 'green');
    const box = {
      x0: Math.min(...greens.map((p) => p.px)) - 10,
      y0: Math.min(...greens.map((p) => p.py)) - 10,
      x1: Math.max(...greens.map((p) => p.px)) + 10,
      y1: Math.max(...greens.map((p) => p.py)) + 10,
    };
    const boxed = indicesInRect(
      points.map((p) => p.px),
      points.map((p) => p.py),
      box,
    ).map((i) => points[i]!.file);
    expect(boxed.length).toBeGreaterThanOrEqual(greens.length);
    await page.getByTestId('map-tool-box').click();
    await drag(page, [
      [box.x0, box.y0],
      [box.x1, box.y1],
    ]);
    await until('the box selection', async () => (await selectedCount(page)) === boxed.length);
    await shot(page, 'map-box-selection');
    await page.getByLabel('Make a new class of them').fill('verdant');
    await page.getByTestId('map-create').click();
    await page.getByTestId('map-outcome').waitFor({ timeout: 10_000 });
    await until(
      'the copies made',
      async () => (await walk(path.join(root, 'Classes/verdant'))).length === boxed.length,
    );
    const copies = await treeHashes(path.join(root, 'Classes/verdant'));
    expect([...copies.values()].sort()).toEqual(boxed.map((file) => library.get(file)).sort());
    for (const file of boxed) expect((await treeHashes(root)).get(file), file).toBe(library.get(file));
    expect(await selectedCount(page)).toBe(0);

    // A lasso around the yellow images, moved into red in one batch; Escape clears a selection first.
    points = await settledPoints(page, serve);
    const yellows = points.filter((p) => p.class === 'yellow' && p.kind === 'sorted');
    const lasso = lassoAround(yellows, 12);
    const lassoed = indicesInPolygon(
      points.map((p) => p.px),
      points.map((p) => p.py),
      lasso,
    ).map((i) => points[i]!.file);
    expect(lassoed).toEqual(expect.arrayContaining(yellows.map((p) => p.file)));
    await page.getByTestId('map-tool-lasso').click();
    await drag(page, [...lasso, lasso[0]!]);
    await until('the lasso selection', async () => (await selectedCount(page)) === lassoed.length);
    await page.keyboard.press('Escape');
    await until('the selection cleared', async () => (await selectedCount(page)) === 0);
    await drag(page, [...lasso, lasso[0]!]);
    await until('the lasso selection again', async () => (await selectedCount(page)) === lassoed.length);
    await shot(page, 'map-lasso-selection');
    // No class is preselected; reference images in the selection stay unless ticked.
    expect(await page.getByTestId('map-move').isDisabled()).toBe(true);
    await page.getByLabel('Move into the class').selectOption('red');
    const references = lassoed.filter((file) => file.startsWith('Classes/'));
    const movable = lassoed.filter((file) => !file.startsWith('Classes/'));
    expect(await page.getByTestId('move-references').count()).toBe(references.length > 0 ? 1 : 0);
    await page.getByTestId('map-move').click();
    const moved = (file: string) => path.join(root, 'Dataset/red', path.basename(file));
    await until('the images moved', () => movable.every((file) => !existsSync(path.join(root, file))));
    const afterMove = await treeHashes(path.join(root, 'Dataset/red'));
    for (const file of movable) expect(afterMove.get(path.basename(file)), file).toBe(library.get(file));
    expect(movable.every((file) => existsSync(moved(file)))).toBe(true);
    for (const file of references) expect(existsSync(path.join(root, file)), file).toBe(true);
    await shot(page, 'map-moved');

    // Undo from the map puts every one back where it was.
    await page.getByTestId('map-undo').click();
    // A move back links the file at its old name first and removes the new one after: wait for both.
    await until('the images back', () =>
      movable.every((file) => existsSync(path.join(root, file)) && !existsSync(moved(file))),
    );
    const afterUndo = await treeHashes(root);
    for (const file of lassoed) expect(afterUndo.get(file), file).toBe(library.get(file));

    // Zooming in on a point draws its thumbnail in place of the dot.
    points = await settledPoints(page, serve);
    const focus = loneSorted(points);
    const dot = await pixelAt(page, focus.px, focus.py);
    await page.getByTestId('map-tool-pan').click();
    await page.mouse.move(focus.px, focus.py);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -500);
    await until('the thumbnail drawn', async () => !near(await pixelAt(page, focus.px, focus.py), dot, 12));
    await shot(page, 'map-thumbnails');
    await page.getByRole('button', { name: 'Show all' }).click();
    await until('every image drawn again', async () => (await drawnCount(page)) === points.length);

    // A double-click opens the image itself.
    await page.mouse.dblclick(focus.px, focus.py);
    const viewer = page.getByTestId('map-viewer');
    await viewer.waitFor({ timeout: 5_000 });
    expect(await viewer.textContent()).toContain(focus.file);
    await until('the image shown', async () =>
      viewer.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
    );
    await shot(page, 'map-viewer');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', timeout: 5_000 });

    // Another projection draws every image too.
    await page.getByTestId('map-method').selectOption('tsne');
    await page.locator(`${canvas}[data-projection="tsne"]`).waitFor({ timeout: 30_000 });
    await until('every image drawn by t-SNE', async () => (await drawnCount(page)) === points.length);
    await shot(page, 'map-tsne');

    // In Spanish and dark.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language').selectOption('es');
    await page.getByTestId('theme').selectOption('dark');
    await page.getByTestId('nav-map').click();
    await page.getByTestId('nav-map').getByText('Mapa').waitFor({ timeout: 5_000 });
    await until('every image drawn in the dark', async () => (await drawnCount(page)) === points.length);
    await shot(page, 'map-es-dark');

    // The strict CSP let everything run: no refused script or style, no uncaught error, no failed request.
    expect(problems).toEqual([]);
  });
});
