/**
 * How map points are coloured: by the class their folder gives them, by the class predicted for them, by the
 * prediction's score (a sequential scale), or by cluster. A class has the same colour whether it is the folder's
 * or the prediction's, so the two views compare at a glance, and keeps it for life (see `classColour`). Points get an index into a small palette, so the
 * canvas draws one batch per colour.
 */
import { interpolatePlasma, interpolateRainbow, precisionFixed, schemeTableau10 } from 'd3';
import type { CommandResult } from '../../../../electron/api/contract/index.js';
import type { MapPoint } from '../../../../electron/api/contract/mapPoints.js';
import { classColours } from './classColour.js';

export type { MapPoint };
export type ClusterResult = CommandResult<'clusters.run'>;

export const COLOUR_MODES = ['class', 'predicted', 'score', 'cluster'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

/** Points with nothing to colour by (the inbox by folder class, no prediction, DBSCAN noise). */
export const MISSING_COLOUR = '#9a9aa0';
/** Steps of the score scale: fine enough to look continuous, few enough to draw in a few batches. */
export const SCORE_STEPS = 32;

export type LegendItem =
  | { kind: 'class'; name: string; colour: string; count: number }
  | { kind: 'cluster'; id: number; colour: string; count: number }
  | { kind: 'missing'; colour: string; count: number };

/** The score scale's ends, and colours along it for the legend. */
export interface Ramp {
  min: number;
  max: number;
  colours: string[];
}

export interface Colouring {
  /** Per point, its colour's index in `palette`; 0 is always MISSING_COLOUR. */
  index: Uint16Array;
  palette: string[];
  /** What each colour means, with how many points have it (missing last, and only when some are). */
  items: LegendItem[];
  /** For the score: its scale. */
  ramp: Ramp | null;
}

/**
 * Decimals that tell the score scale's ends apart (and its quarters): two, or more where the scores are close,
 * so that a narrow range never reads "1.00 to 1.00".
 */
export function scoreDigits(ramp: Pick<Ramp, 'min' | 'max'>): number {
  const span = ramp.max - ramp.min;
  return span > 0 ? Math.max(2, precisionFixed(span / 4)) : 2;
}

/** The `i`th categorical colour: Tableau's ten, then hues spread by the golden ratio. */
export function categoricalColour(i: number): string {
  return schemeTableau10[i] ?? interpolateRainbow((i * 0.618033988749895) % 1);
}

/** The sequential scale's colour at `t` in [0, 1]; plasma without its darkest and palest ends, for both themes. */
export function sequentialColour(t: number): string {
  return interpolatePlasma(0.1 + 0.78 * Math.min(1, Math.max(0, t)));
}

/** Colours `points` by `mode`. `clusters` is used for the `cluster` mode; without it every point is missing. */
export function colourPoints(
  points: readonly MapPoint[],
  mode: ColourMode,
  clusters?: ClusterResult,
): Colouring {
  switch (mode) {
    case 'class':
    case 'predicted':
      return byClass(points, mode === 'class' ? (p) => p.class : (p) => p.predicted);
    case 'score':
      return byScore(points);
    case 'cluster':
      return byCluster(points, clusters);
  }
}

function byClass(points: readonly MapPoint[], classOf: (p: MapPoint) => string | null): Colouring {
  const seen = new Set<string>();
  for (const p of points) {
    if (p.class !== null) seen.add(p.class);
    if (p.predicted !== null) seen.add(p.predicted);
  }
  const colours = classColours(seen);
  const names = [...colours.keys()];
  const slot = new Map(names.map((name, i) => [name, i + 1]));
  const index = new Uint16Array(points.length);
  points.forEach((p, i) => {
    const name = classOf(p);
    index[i] = name === null ? 0 : slot.get(name)!;
  });
  const counts = countSlots(index, names.length + 1);
  const items: LegendItem[] = names
    .map((name, i) => ({ kind: 'class' as const, name, colour: colours.get(name)!, count: counts[i + 1]! }))
    .filter((item) => item.count > 0);
  return finish(index, [MISSING_COLOUR, ...names.map((n) => colours.get(n)!)], items, counts[0]!, null);
}

function byScore(points: readonly MapPoint[]): Colouring {
  let min = Infinity;
  let max = -Infinity;
  for (const { score } of points) {
    if (score === null) continue;
    min = Math.min(min, score);
    max = Math.max(max, score);
  }
  const palette = [MISSING_COLOUR];
  for (let step = 0; step < SCORE_STEPS; step++) palette.push(sequentialColour((step + 0.5) / SCORE_STEPS));
  const index = new Uint16Array(points.length);
  const span = max - min;
  points.forEach(({ score }, i) => {
    if (score === null) return;
    const t = span > 0 ? (score - min) / span : 0.5;
    index[i] = 1 + Math.min(SCORE_STEPS - 1, Math.floor(t * SCORE_STEPS));
  });
  const missing = index.filter((slot) => slot === 0).length;
  const ramp =
    min <= max ? { min, max, colours: [0, 0.25, 0.5, 0.75, 1].map((t) => sequentialColour(t)) } : null;
  return finish(index, palette, [], missing, ramp);
}

function byCluster(points: readonly MapPoint[], clusters: ClusterResult | undefined): Colouring {
  const groups = clusters?.clusters ?? [];
  const slotOf = new Map<string, number>();
  groups.forEach((cluster, i) => {
    for (const file of cluster.files) slotOf.set(file, i + 1);
  });
  const index = new Uint16Array(points.length);
  points.forEach((p, i) => {
    index[i] = slotOf.get(p.file) ?? 0;
  });
  const counts = countSlots(index, groups.length + 1);
  const palette = [MISSING_COLOUR, ...groups.map((_, i) => categoricalColour(i))];
  const items: LegendItem[] = groups
    .map((cluster, i) => ({
      kind: 'cluster' as const,
      id: cluster.id,
      colour: palette[i + 1]!,
      count: counts[i + 1]!,
    }))
    .filter((item) => item.count > 0);
  return finish(index, palette, items, counts[0]!, null);
}

function countSlots(index: Uint16Array, slots: number): number[] {
  const counts = new Array<number>(slots).fill(0);
  for (const slot of index) counts[slot] = (counts[slot] ?? 0) + 1;
  return counts;
}

function finish(
  index: Uint16Array,
  palette: string[],
  items: LegendItem[],
  missing: number,
  ramp: Ramp | null,
): Colouring {
  if (missing > 0) items.push({ kind: 'missing', colour: MISSING_COLOUR, count: missing });
  return { index, palette, items, ramp };
}
