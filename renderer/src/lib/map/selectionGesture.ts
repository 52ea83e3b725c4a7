/** A box or lasso drawn with the pointer on the map, and the points it takes when the pointer is released. */
import {
  extendLasso,
  indicesInPolygon,
  indicesInRect,
  rectBetween,
  type Combine,
  type Vertex,
} from './selection.js';
import { toBase, type Rect, type View } from './viewport.js';

/** A press that moves less than this many pixels is a click, not a drag. */
export const CLICK_DISTANCE = 4;
/** Lasso vertices closer than this to the last one are dropped. */
const LASSO_STEP = 3;

/** What a gesture draws while the pointer moves. */
export type GestureShape = { box: Rect } | { lasso: readonly Vertex[] };

export class SelectionGesture {
  readonly how: Combine;
  /** Whether the pointer has gone far enough to make this a drag. */
  moved = false;
  #shape: 'box' | 'lasso';
  #start: Vertex;
  #lasso: Vertex[];

  /** Starts at `start` (screen pixels); `how` says what the chosen points do to the selection. */
  constructor(shape: 'box' | 'lasso', start: Vertex, how: Combine) {
    this.#shape = shape;
    this.#start = start;
    this.#lasso = [start];
    this.how = how;
  }

  /** Follows the pointer; returns the shape to draw, or undefined while this is still a click. */
  move(at: Vertex): GestureShape | undefined {
    const [x0, y0] = this.#start;
    if (!this.moved && Math.hypot(at[0] - x0, at[1] - y0) < CLICK_DISTANCE) return undefined;
    this.moved = true;
    if (this.#shape === 'box') return { box: rectBetween(this.#start, at) };
    extendLasso(this.#lasso, at, LASSO_STEP);
    return { lasso: this.#lasso };
  }

  /**
   * Ends at `at`: the indices of the points (base pixels `xs`, `ys`, seen through `view`) inside the box or lasso,
   * or undefined when it was a click.
   */
  finish(at: Vertex, view: View, xs: ArrayLike<number>, ys: ArrayLike<number>): number[] | undefined {
    this.move(at);
    if (!this.moved) return undefined;
    if (this.#shape === 'box') {
      return indicesInRect(xs, ys, rectBetween(toBase(view, this.#start), toBase(view, at)));
    }
    return indicesInPolygon(
      xs,
      ys,
      this.#lasso.map((vertex) => toBase(view, vertex)),
    );
  }
}
