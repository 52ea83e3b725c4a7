/**
 * Where points go on the canvas. A projection's coordinates are first fitted into the canvas ("base" pixels,
 * one data unit as long on both axes, y growing upwards); d3-zoom's transform then scales and shifts base
 * pixels to screen pixels.
 */
import { scaleLinear, type ScaleLinear } from 'd3';

export interface Size {
  width: number;
  height: number;
}

/** An axis-aligned rectangle, `x0 <= x1` and `y0 <= y1`. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** d3-zoom's transform as plain numbers: screen = base × k + (x, y). */
export interface View {
  k: number;
  x: number;
  y: number;
}

export const IDENTITY: View = { k: 1, x: 0, y: 0 };

/** CSS pixels kept free around the points when the map is fitted to the canvas. */
export const MAP_PADDING = 24;

export interface Layout {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

/**
 * Scales that fit `points` into `size` less `padding` on every side, centred, with the same pixels per unit on
 * both axes so that distances keep their meaning. A single point, or none, sits in the middle.
 */
export function fitLayout(points: ArrayLike<{ x: number; y: number }>, size: Size, padding: number): Layout {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const { x, y } = points[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (points.length === 0) minX = maxX = minY = maxY = 0;
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const innerW = Math.max(1, size.width - 2 * padding);
  const innerH = Math.max(1, size.height - 2 * padding);
  const perUnit = Math.min(innerW / spanX, innerH / spanY);
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  const halfW = size.width / 2 / perUnit;
  const halfH = size.height / 2 / perUnit;
  return {
    x: scaleLinear()
      .domain([midX - halfW, midX + halfW])
      .range([0, size.width]),
    y: scaleLinear()
      .domain([midY - halfH, midY + halfH])
      .range([size.height, 0]),
  };
}

/** Base-pixel positions of `points` under `layout`, as flat arrays for drawing and hit-testing. */
export function placePoints(
  points: ArrayLike<{ x: number; y: number }>,
  layout: Layout,
): { xs: Float32Array; ys: Float32Array } {
  const xs = new Float32Array(points.length);
  const ys = new Float32Array(points.length);
  for (let i = 0; i < points.length; i++) {
    xs[i] = layout.x(points[i]!.x);
    ys[i] = layout.y(points[i]!.y);
  }
  return { xs, ys };
}

/** The base-pixel rectangle the screen shows under `view`. */
export function visibleRect(view: View, size: Size): Rect {
  return {
    x0: -view.x / view.k,
    y0: -view.y / view.k,
    x1: (size.width - view.x) / view.k,
    y1: (size.height - view.y) / view.k,
  };
}

/** A screen point in base pixels. */
export function toBase(view: View, [x, y]: readonly [number, number]): [number, number] {
  return [(x - view.x) / view.k, (y - view.y) / view.k];
}

/**
 * The dot radius in screen pixels: smaller when there are many points, so that dense maps stay readable, and
 * growing slowly as one zooms in (not with the zoom, or dots would merge).
 */
export function dotRadius(count: number, k: number): number {
  const base = count <= 500 ? 4.5 : count <= 5000 ? 3.2 : 2.2;
  return Math.min(12, base * Math.sqrt(Math.max(1, k)));
}

/**
 * Where a box of `box` size goes beside the pointer at `at` within `area`: below and to the right, or on the other
 * side along an axis where there is no room, never past the top or left edge.
 */
export function besidePointer(
  at: readonly [number, number],
  box: Size,
  area: Size,
  gap: number,
): [number, number] {
  const place = (p: number, extent: number, room: number) =>
    p + gap + extent <= room ? p + gap : Math.max(0, p - gap - extent);
  return [place(at[0], box.width, area.width), place(at[1], box.height, area.height)];
}
