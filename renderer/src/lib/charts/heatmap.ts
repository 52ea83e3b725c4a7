import { rgb } from 'd3';

/** A run of consecutive rows (or columns) of one category: `start` inclusive, `end` exclusive. */
export interface CategorySpan {
  category: string;
  start: number;
  end: number;
}

/** The runs of equal neighbouring categories, in order (a category that comes back starts a new run). */
export function categorySpans(categories: readonly string[]): CategorySpan[] {
  const spans: CategorySpan[] = [];
  categories.forEach((category, index) => {
    const last = spans.at(-1);
    if (last?.category === category) last.end = index + 1;
    else spans.push({ category, start: index, end: index + 1 });
  });
  return spans;
}

/**
 * The lowest and highest finite value of a matrix. With `skipDiagonal`, a square matrix's diagonal (every item
 * against itself, always 1) is left out, so that it does not wash out the contrast between the others.
 */
export function valueExtent(matrix: readonly (readonly number[])[], skipDiagonal = false): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  matrix.forEach((row, r) =>
    row.forEach((value, c) => {
      if ((skipDiagonal && r === c) || !Number.isFinite(value)) return;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }),
  );
  if (low > high) return [0, 1];
  return low === high ? [low - 0.5, high + 0.5] : [low, high];
}

/** `steps` colours of `interpolate` from 0 to 1, as packed RGB bytes. */
export function colourRamp(interpolate: (t: number) => string, steps = 256): Uint8Array {
  const ramp = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) {
    const colour = rgb(interpolate(steps === 1 ? 0 : i / (steps - 1)));
    ramp.set([colour.r, colour.g, colour.b], i * 3);
  }
  return ramp;
}

/**
 * A matrix as RGBA pixels, one per cell, row by row: each value placed on `domain` (clamped) and coloured from
 * `ramp`. Drawn scaled up without smoothing, it is the heatmap, at any size, in one draw call.
 */
export function heatPixels(
  matrix: readonly (readonly number[])[],
  columns: number,
  domain: readonly [number, number],
  ramp: Uint8Array,
): Uint8ClampedArray<ArrayBuffer> {
  const steps = ramp.length / 3;
  const [low, high] = domain;
  const span = high - low || 1;
  const pixels = new Uint8ClampedArray(matrix.length * columns * 4);
  matrix.forEach((row, r) => {
    for (let c = 0; c < columns; c++) {
      const value = row[c] ?? Number.NaN;
      const at = (r * columns + c) * 4;
      if (!Number.isFinite(value)) continue; // transparent: nothing to show
      const t = Math.min(1, Math.max(0, (value - low) / span));
      const step = Math.round(t * (steps - 1)) * 3;
      pixels.set([ramp[step]!, ramp[step + 1]!, ramp[step + 2]!, 255], at);
    }
  });
  return pixels;
}

/** The cell under a point of the plot (`width` × `height` pixels showing `rows` × `columns` cells), if any. */
export function cellAt(
  x: number,
  y: number,
  plot: { width: number; height: number },
  rows: number,
  columns: number,
): { row: number; column: number } | undefined {
  if (x < 0 || y < 0 || x >= plot.width || y >= plot.height || rows === 0 || columns === 0) return undefined;
  return {
    row: Math.min(rows - 1, Math.floor((y / plot.height) * rows)),
    column: Math.min(columns - 1, Math.floor((x / plot.width) * columns)),
  };
}
