/**
 * Points drawn on one spot (the same image twice, or images the projection cannot tell apart): a stack is drawn
 * once with its count, so that 40 copies do not look like one image.
 */

/** One spot holding more than one point: the point drawn for it, and how many it holds. */
export interface Stack {
  index: number;
  count: number;
  /** The spot's key (see {@link stackKey}). */
  key: string;
}

/** The spot a point at `x`, `y` (base pixels) is in; points within `tolerance` of one another mostly share it. */
export function stackKey(x: number, y: number, tolerance = 0.5): string {
  return `${Math.round(x / tolerance)},${Math.round(y / tolerance)}`;
}

/**
 * The stacks among points at `xs`, `ys` (base pixels), by {@link stackKey}. Linear in the points; a grid rather
 * than a distance test, since only coincident points matter here.
 */
export function findStacks(
  xs: Float32Array | Float64Array | readonly number[],
  ys: Float32Array | Float64Array | readonly number[],
  tolerance = 0.5,
): Stack[] {
  const cells = new Map<string, Stack>();
  for (let i = 0; i < xs.length; i++) {
    const key = stackKey(xs[i]!, ys[i]!, tolerance);
    const stack = cells.get(key);
    if (stack) stack.count++;
    else cells.set(key, { index: i, count: 1, key });
  }
  return [...cells.values()].filter((stack) => stack.count > 1);
}
