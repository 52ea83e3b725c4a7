/** Finding points near the pointer and on screen, through a d3 quadtree over their base-pixel positions. */
import { quadtree, type Quadtree, type QuadtreeLeaf } from 'd3';
import type { Rect } from './viewport.js';

/** A quadtree of point indices. */
export type PointTree = Quadtree<number>;

export function buildTree(xs: Float32Array, ys: Float32Array): PointTree {
  return quadtree<number>()
    .x((i) => xs[i]!)
    .y((i) => ys[i]!)
    .addAll(Array.from(xs, (_, i) => i));
}

/** The point nearest to (x, y) within `radius`, or undefined. */
export function nearestPoint(tree: PointTree, x: number, y: number, radius: number): number | undefined {
  return tree.find(x, y, radius);
}

/** The points inside `rect`, nearest to its centre first, at most `limit` of them. */
export function pointsInView(
  tree: PointTree,
  xs: Float32Array,
  ys: Float32Array,
  rect: Rect,
  limit: number,
): number[] {
  const found: number[] = [];
  tree.visit((node, x0, y0, x1, y1) => {
    if (x0 > rect.x1 || y0 > rect.y1 || x1 < rect.x0 || y1 < rect.y0) return true;
    if (!node.length) {
      for (let leaf: QuadtreeLeaf<number> | undefined = node; leaf; leaf = leaf.next) {
        const i = leaf.data;
        if (xs[i]! >= rect.x0 && xs[i]! <= rect.x1 && ys[i]! >= rect.y0 && ys[i]! <= rect.y1) found.push(i);
      }
    }
    return false;
  });
  const cx = (rect.x0 + rect.x1) / 2;
  const cy = (rect.y0 + rect.y1) / 2;
  const distance = (i: number) => (xs[i]! - cx) ** 2 + (ys[i]! - cy) ** 2;
  return found.sort((a, b) => distance(a) - distance(b) || a - b).slice(0, limit);
}
