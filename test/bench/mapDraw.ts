/**
 * How smoothly the Map view draws a large library: the renderer's own map modules (painter, colours, layout,
 * quadtree, lasso), bundled by vite into a headless Chromium page, drawing 100,000 points through a pan and zoom
 * sequence. Each frame is timed with the canvas flushed (a one-pixel read forces the raster), so the figure
 * includes drawing, not only recording it. The points first cross the wire as `map.points` sends them (binary
 * records, see mapPoints.ts), decoded in the page, against the JSON objects they used to be. Prints figures;
 * `npx tsx test/bench/mapDraw.ts` runs it alone.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Rolldown } from 'vite';
import { CHROMIUM, hasChromium, launchChromium } from '../e2e/browser.js';
import { repoRoot } from '../helpers/sharedFixtures.js';

/** Points drawn (`CLIPSORT_BENCH_MAP_POINTS` overrides). */
const POINTS = Number(process.env.CLIPSORT_BENCH_MAP_POINTS ?? 100_000);
const FRAMES = 180;
const VIEWPORT = { width: 1280, height: 800 };

const mapModule = (name: string) => JSON.stringify(path.join(repoRoot, 'renderer/src/lib/map', `${name}.ts`));
const apiModule = (name: string) => JSON.stringify(path.join(repoRoot, 'electron/api', `${name}.ts`));

/**
 * The page's side: a synthetic library (clustered points of every kind), then frames through a zoom in to
 * thumbnail range, a pan and a zoom out, drawn as MapCanvas.svelte draws them, on requestAnimationFrame.
 */
const PAGE_SOURCE = `
import { colourPoints } from ${mapModule('colours')};
import { buildTree, nearestPoint, pointsInView } from ${mapModule('hitTest')};
import { kindCode, MapPainter } from ${mapModule('painter')};
import { ProgressiveRenderer } from ${mapModule('progressiveRenderer')};
import { indicesInPolygon } from ${mapModule('selection')};
import { THUMB_LIMIT, thumbnailSize } from ${mapModule('thumbnailSize')};
import { dotRadius, fitLayout, MAP_PADDING, placePoints, visibleRect } from ${mapModule('viewport')};
import { packMapPoints, unpackMapPoints } from ${apiModule('contract/mapPoints')};
import { decodeFrame, encodeMessage } from ${apiModule('transports/frames')};

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function library(count) {
  const next = random(7);
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const centres = Array.from({ length: 12 }, () => [gauss() * 6, gauss() * 4]);
  return Array.from({ length: count }, (_, i) => {
    const c = i % centres.length;
    const roll = next();
    const kind = roll < 0.05 ? 'reference' : roll < 0.3 ? 'inbox' : 'sorted';
    const name = 'class-' + c;
    return {
      file: 'Dataset/' + name + '/' + i + '.jpg',
      kind,
      class: kind === 'inbox' ? null : name,
      predicted: next() < 0.9 ? name : 'class-' + ((c + 1) % centres.length),
      score: next(),
      margin: next() / 2,
      x: centres[c][0] + gauss(),
      y: centres[c][1] + gauss(),
    };
  });
}

const time = (run) => {
  const started = performance.now();
  const value = run();
  return [performance.now() - started, value];
};

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

export async function run({ count, frames, selected }) {
  const size = { width: innerWidth, height: innerHeight };
  const dpr = devicePixelRatio;
  const canvases = [0, 1].map(() => {
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;will-change:transform';
    document.body.append(canvas);
    return canvas;
  });
  // The wire: the records as the server frames them, read back as the page does.
  const sent = library(count);
  const files = sent.map((p) => p.file);
  const frame = encodeMessage({ id: 1, result: { ...packMapPoints(sent), files: null } });
  const [decodeMs, points] = time(() => unpackMapPoints(decodeFrame(frame.slice().buffer).result, files));
  const wire = {
    recordBytes: frame.byteLength / count,
    namesBytes: new TextEncoder().encode(JSON.stringify(files)).byteLength / count,
    jsonBytes: new TextEncoder().encode(JSON.stringify(sent)).byteLength / count,
    decodeMs,
  };
  const [colourMs, colouring] = time(() => colourPoints(points, 'class'));
  const [placeMs, placed] = time(() => placePoints(points, fitLayout(points, size, MAP_PADDING)));
  const [treeMs, tree] = time(() => buildTree(placed.xs, placed.ys));
  const painter = new MapPainter();
  const kinds = Uint8Array.from(points, (p) => kindCode(p.kind));
  const [sceneMs] = time(() => painter.setScene({ ...placed, kinds, colours: colouring.index, palette: colouring.palette }));
  const marks = {};
  if (selected) {
    marks.selected = new Uint8Array(count);
    for (let i = 0; i < count; i += 4) marks.selected[i] = 1;
  }
  const palette = { outline: '#1d1d1f', selection: '#2f6fdb', highlight: '#b7791f' };

  // Stand-ins for loaded thumbnails: small canvases, as decoded images would be.
  const pictures = Array.from({ length: 150 }, (_, i) => {
    const image = document.createElement('canvas');
    image.width = image.height = 128;
    const c = image.getContext('2d');
    c.fillStyle = 'hsl(' + i * 7 + ' 70% 50%)';
    c.fillRect(0, 0, 128, 128);
    return { image, width: 128, height: 128 };
  });
  // What MapCanvas.svelte gives a picture at a view: dots, and thumbnails once zoomed in.
  const describe = (view) => {
    const thumbSize = thumbnailSize(view.k);
    const near = thumbSize ? pointsInView(tree, placed.xs, placed.ys, visibleRect(view, size), THUMB_LIMIT) : [];
    const thumbnails = near.reverse().map((index, n) => ({ index, picture: pictures[n] }));
    return { frame: { size, dpr, view, radius: dotRadius(count, view.k), thumbnails, thumbSize }, marks, palette };
  };

  // One whole picture at once, flushed: what every frame would cost without the progressive renderer.
  const scratch = document.createElement('canvas');
  scratch.width = size.width * dpr;
  scratch.height = size.height * dpr;
  const scratchCtx = scratch.getContext('2d', { willReadFrequently: true });
  const whole = [];
  for (let n = 0; n < 3; n++) {
    scratchCtx.clearRect(0, 0, scratch.width, scratch.height);
    const { frame } = describe({ k: 1, x: n, y: 0 });
    whole.push(time(() => { painter.draw(scratchCtx, frame, marks, palette); scratchCtx.getImageData(0, 0, 1, 1); })[0]);
  }

  // Zoom in to 12× about a cluster (thumbnails from about 2×), pan across, zoom back out: one view per frame.
  const third = Math.floor(frames / 3);
  const focus = [placed.xs[0], placed.ys[0]];
  const views = Array.from({ length: frames }, (_, f) => {
    let k;
    let shift = 0;
    if (f < third) k = Math.pow(12, f / third);
    else if (f < 2 * third) { k = 12; shift = ((f - third) / third) * size.width * 1.5; }
    else k = Math.pow(12, 1 - (f - 2 * third) / (frames - 2 * third));
    return { k, x: size.width / 2 - focus[0] * k - shift, y: size.height / 2 - focus[1] * k };
  });

  const renderer = new ProgressiveRenderer(canvases, painter);
  renderer.resize(size, dpr);
  // The first picture, before the sequence.
  const firstStarted = performance.now();
  let firstFrames = 0;
  while (renderer.frame({ k: 1, x: 0, y: 0 }, describe)) { firstFrames++; await nextFrame(); }
  const firstMs = performance.now() - firstStarted;
  const drawnAtFit = renderer.drawn;

  const work = [];
  const stamps = [];
  for (const view of views) {
    stamps.push(await nextFrame());
    work.push(time(() => renderer.frame(view, describe))[0]);
  }
  // After the last move: frames until the picture is sharp again.
  let settle = 0;
  const last = views[views.length - 1];
  while (renderer.frame(last, describe)) { settle++; await nextFrame(); }
  const intervals = stamps.slice(1).map((s, i) => s - stamps[i]);

  const next = random(3);
  const probes = Array.from({ length: 10000 }, () => [next() * size.width, next() * size.height]);
  const [hoverMs] = time(() => probes.forEach(([x, y]) => nearestPoint(tree, x, y, 6)));
  const lasso = Array.from({ length: 200 }, (_, i) => {
    const a = (i / 200) * 2 * Math.PI;
    const r = 300 * (0.75 + 0.25 * Math.sin(5 * a));
    return [size.width / 2 + r * Math.cos(a), size.height / 2 + r * Math.sin(a)];
  });
  const [lassoMs, lassoed] = time(() => indicesInPolygon(placed.xs, placed.ys, lasso));
  return {
    wire, work, intervals, whole, firstMs, firstFrames, settle, drawnAtFit, colourMs, placeMs, treeMs, sceneMs,
    hoverUs: (hoverMs / probes.length) * 1000, lassoMs, lassoed: lassoed.length,
  };
}
`;

interface PageFigures {
  /** Bytes per point: the framed records, the file names (sent when they change), the former JSON objects. */
  wire: { recordBytes: number; namesBytes: number; jsonBytes: number; decodeMs: number };
  /** Main-thread milliseconds of each frame of the sequence. */
  work: number[];
  /** Milliseconds between animation frames. */
  intervals: number[];
  /** Milliseconds to draw one whole picture at once (flushed). */
  whole: number[];
  firstMs: number;
  firstFrames: number;
  settle: number;
  drawnAtFit: number;
  colourMs: number;
  placeMs: number;
  treeMs: number;
  sceneMs: number;
  hoverUs: number;
  lassoMs: number;
  lassoed: number;
}

const ENTRY = 'clipsort-map-bench';

/** The page's side with the map modules it imports, as one script. */
async function bundle(): Promise<string> {
  const output = (await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'silent',
    plugins: [
      {
        name: 'map-bench-entry',
        resolveId: (id) => (id.endsWith(ENTRY) ? `\0${ENTRY}` : undefined),
        load: (id) => (id === `\0${ENTRY}` ? PAGE_SOURCE : undefined),
      },
    ],
    build: { write: false, minify: false, lib: { entry: ENTRY, formats: ['iife'], name: 'mapBench' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]?.output.find((item) => item.type === 'chunk');
  if (!chunk) throw new Error('vite produced no script for the map benchmark');
  return chunk.code;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** The map's figures as [measure, result] rows; one row saying why where Chromium is missing. */
export async function benchMapDraw(): Promise<[string, string][]> {
  if (!hasChromium) return [[`map: drawing ${POINTS} points`, `skipped: no Chromium at ${CHROMIUM}`]];
  const script = await bundle();
  const browser = await launchChromium();
  const rows: [string, string][] = [];
  const ms = (values: number[]) =>
    `p50 ${fmt(percentile(values, 50))} ms, p95 ${fmt(percentile(values, 95))} ms, max ${fmt(Math.max(...values))} ms`;
  try {
    for (const [dpr, selected] of [
      [1, false],
      [2, false],
      [2, true],
    ] as const) {
      const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: dpr });
      await page.setContent('<!doctype html><body style="margin:0"></body>');
      await page.addScriptTag({ content: script });
      const figures = await page.evaluate<PageFigures>(
        `mapBench.run(${JSON.stringify({ count: POINTS, frames: FRAMES, selected })})`,
      );
      await page.close();
      if (figures.drawnAtFit !== POINTS) throw new Error(`drew ${figures.drawnAtFit} of ${POINTS} points`);
      const label = `map ${POINTS} pts ${VIEWPORT.width}×${VIEWPORT.height} @${dpr}×${selected ? ' ¼ selected' : ''}`;
      rows.push([`${label}: one whole picture (flushed)`, ms(figures.whole)]);
      rows.push([
        `${label}: first picture`,
        `${fmt(figures.firstMs, 0)} ms over ${figures.firstFrames + 1} frames`,
      ]);
      rows.push([`${label}: main-thread work per frame, ${FRAMES}-frame pan/zoom`, ms(figures.work)]);
      rows.push([`${label}: frame interval`, ms(figures.intervals)]);
      rows.push([`${label}: frames to sharpen after the last move`, String(figures.settle)]);
      if (dpr === 1 && !selected) {
        const { wire } = figures;
        rows.push([
          `map: ${POINTS} points on the wire (binary records)`,
          `${fmt(wire.recordBytes, 2)} bytes/point (target ≤ 16), ${fmt((wire.recordBytes * POINTS) / 1e6, 2)} MB; ` +
            `decoded in ${fmt(wire.decodeMs)} ms`,
        ]);
        rows.push([
          `map: their file names, sent only when the set changes`,
          `${fmt(wire.namesBytes)} bytes/point; the same points as JSON objects: ${fmt(wire.jsonBytes)} bytes/point, ` +
            `${fmt((wire.jsonBytes * POINTS) / 1e6, 1)} MB`,
        ]);
        rows.push([
          'map: set-up: colours + layout + quadtree + grouping',
          `${fmt(figures.colourMs)} + ${fmt(figures.placeMs)} + ${fmt(figures.treeMs)} + ${fmt(figures.sceneMs)} ms`,
        ]);
        rows.push(['map: hover hit-test (quadtree)', `${fmt(figures.hoverUs, 2)} µs per pointer move`]);
        rows.push([
          'map: lasso of 200 vertices',
          `${fmt(figures.lassoMs)} ms (${figures.lassoed} points inside)`,
        ]);
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchMapDraw();
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
}
