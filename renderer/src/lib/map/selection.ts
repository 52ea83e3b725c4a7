/** Choosing points with a box or a lasso, combining choices, and summing up what was chosen. */
import { polygonContains } from 'd3';
import type { Rect } from './viewport.js';

export type Vertex = [number, number];

/** What dragging on the map does: pan it, or draw a box or a lasso around points. */
export const TOOLS = ['pan', 'box', 'lasso'] as const;
export type Tool = (typeof TOOLS)[number];

/** The rectangle spanned by two corners, in any order. */
export function rectBetween([ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): Rect {
  return { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) };
}

/** Indices of the points inside `rect` (edges included). */
export function indicesInRect(xs: ArrayLike<number>, ys: ArrayLike<number>, rect: Rect): number[] {
  const inside: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x >= rect.x0 && x <= rect.x1 && y >= rect.y0 && y <= rect.y1) inside.push(i);
  }
  return inside;
}

/** The bounding rectangle of a polygon. */
export function boundsOf(polygon: readonly Vertex[]): Rect {
  const rect = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const [x, y] of polygon) {
    rect.x0 = Math.min(rect.x0, x);
    rect.y0 = Math.min(rect.y0, y);
    rect.x1 = Math.max(rect.x1, x);
    rect.y1 = Math.max(rect.y1, y);
  }
  return rect;
}

/**
 * Indices of the points inside a lasso (a closed polygon, possibly self-crossing: even-odd rule). The bounding
 * box is checked first, so only points near the lasso pay for the polygon test.
 */
export function indicesInPolygon(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  polygon: readonly Vertex[],
): number[] {
  if (polygon.length < 3) return [];
  const box = boundsOf(polygon);
  const ring = polygon as Vertex[];
  return indicesInRect(xs, ys, box).filter((i) => polygonContains(ring, [xs[i]!, ys[i]!]));
}

/**
 * Appends the pointer's position to a lasso unless it is within `minStep` of the last vertex, which keeps a
 * slow hand's lasso short. Returns whether it was added.
 */
export function extendLasso(lasso: Vertex[], point: Vertex, minStep: number): boolean {
  const last = lasso[lasso.length - 1];
  if (last && Math.hypot(point[0] - last[0], point[1] - last[1]) < minStep) return false;
  lasso.push(point);
  return true;
}

/** The indices of the points whose files are among `files`: a selection carried over to a new projection. */
export function indicesOfFiles(points: readonly { file: string }[], files: Iterable<string>): Set<number> {
  const wanted = new Set(files);
  const found = new Set<number>();
  points.forEach((point, i) => {
    if (wanted.has(point.file)) found.add(i);
  });
  return found;
}

/** No points. Selections are replaced, never changed in place, so that the views see every change. */
export const NONE: ReadonlySet<number> = new Set();

/** How a new choice meets the current selection: replaces it, adds to it, or takes from it. */
export type Combine = 'replace' | 'add' | 'remove';

export function combineSelection(
  current: ReadonlySet<number>,
  chosen: Iterable<number>,
  how: Combine,
): Set<number> {
  if (how === 'replace') return new Set(chosen);
  const next = new Set(current);
  for (const i of chosen) {
    if (how === 'add') next.add(i);
    else next.delete(i);
  }
  return next;
}

export interface SelectionSummary {
  count: number;
  inbox: number;
  reference: number;
  sorted: number;
  /** Folder classes of the chosen references and sorted images, most frequent first (ties by name). */
  classes: { name: string; count: number }[];
}

/** What a selection holds, by kind and by folder class. */
export function summariseSelection(
  points: readonly { kind: 'inbox' | 'reference' | 'sorted'; class: string | null }[],
  selection: Iterable<number>,
): SelectionSummary {
  const summary: SelectionSummary = { count: 0, inbox: 0, reference: 0, sorted: 0, classes: [] };
  const classes = new Map<string, number>();
  for (const i of selection) {
    const point = points[i];
    if (!point) continue;
    summary.count++;
    summary[point.kind]++;
    if (point.class !== null) classes.set(point.class, (classes.get(point.class) ?? 0) + 1);
  }
  summary.classes = [...classes]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return summary;
}
