import { bisectLeft, extent, line, scaleLinear, type ScaleLinear } from 'd3';

/** One point of a line chart; a null `y` leaves a gap (e.g. a silhouette that could not be computed). */
export interface ChartPoint {
  x: number;
  y: number | null;
}

/** A chart's outer size and the margins kept for its axes. */
export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface LineLayout {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  /** The SVG path through the defined points ('' when there are none). */
  path: string;
  xTicks: number[];
  yTicks: number[];
}

export interface LineOptions {
  /** Ticks only at whole numbers of x (k values, counts). */
  integerX?: boolean;
  /** Let the y axis start at zero even when every value is above it. */
  zeroY?: boolean;
  xTickCount?: number;
  yTickCount?: number;
}

/** A domain that has some width, so that a single value or a flat line still gets an axis. */
function widen([low, high]: [number, number]): [number, number] {
  if (high > low) return [low, high];
  const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
  return [low - pad, high + pad];
}

/** Scales, ticks and the path of a line chart over `points`, drawn inside `box` less its margins. */
export function lineLayout(
  points: readonly ChartPoint[],
  box: ChartBox,
  options: LineOptions = {},
): LineLayout {
  const { margin } = box;
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => (p.y === null ? [] : [p.y]));
  const [xLow = 0, xHigh = 1] = extent(xs);
  let [yLow = 0, yHigh = 1] = extent(ys);
  if (options.zeroY) [yLow, yHigh] = [Math.min(0, yLow), Math.max(0, yHigh)];

  const x = scaleLinear()
    .domain(widen([xLow, xHigh]))
    .range([margin.left, Math.max(margin.left, box.width - margin.right)]);
  const y = scaleLinear()
    .domain(widen([yLow, yHigh]))
    .nice(options.yTickCount ?? 5)
    .range([Math.max(margin.top, box.height - margin.bottom), margin.top]);

  let xTicks = x.ticks(options.xTickCount ?? 10);
  if (options.integerX) xTicks = xTicks.filter((tick) => Number.isInteger(tick));
  const path =
    line<ChartPoint>()
      .defined((p) => p.y !== null)
      .x((p) => x(p.x))
      .y((p) => y(p.y ?? 0))(points) ?? '';
  return { x, y, path, xTicks, yTicks: y.ticks(options.yTickCount ?? 5) };
}

/**
 * At most `max` points of a long curve, evenly spaced and always with its first and last, so that drawing a
 * sorted curve of 100,000 distances stays cheap without changing its shape.
 */
export function sampleCurve(values: readonly number[], max: number): ChartPoint[] {
  if (values.length <= max) return values.map((y, x) => ({ x, y }));
  const step = (values.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => {
    const x = Math.round(i * step);
    return { x, y: values[x]! };
  });
}

/** Where `value` falls in an ascending list: the first index whose value is at least it. */
export function rankOf(sorted: readonly number[], value: number): number {
  return Math.min(bisectLeft(sorted, value), Math.max(0, sorted.length - 1));
}
