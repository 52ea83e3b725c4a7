import { describe, expect, it } from 'vitest';
import { buildTree, nearestPoint, pointsInView } from '../../renderer/src/lib/map/hitTest.js';

const xs = Float32Array.from([0, 10, 20, 10, 50, 10]);
const ys = Float32Array.from([0, 10, 20, 10, 50, 12]);

describe('map hit-testing', () => {
  const tree = buildTree(xs, ys);

  it('finds the point nearest the pointer within the reach, or none', () => {
    expect(nearestPoint(tree, 19, 21, 3)).toBe(2);
    expect(nearestPoint(tree, 10, 11.8, 3)).toBe(5);
    expect(nearestPoint(tree, 35, 35, 5)).toBeUndefined();
  });

  it('lists the points on screen, nearest the middle first, up to a limit', () => {
    // The middle is (15, 15): point 5 is nearest, then 1, 2 and 3 tie (by index). Points 1 and 3 share a
    // position (one quadtree leaf holds both); both are listed.
    expect(pointsInView(tree, xs, ys, { x0: 5, y0: 5, x1: 25, y1: 25 }, 10)).toEqual([5, 1, 2, 3]);
    expect(pointsInView(tree, xs, ys, { x0: 5, y0: 5, x1: 25, y1: 25 }, 2)).toEqual([5, 1]);
    expect(pointsInView(tree, xs, ys, { x0: -1, y0: -1, x1: 60, y1: 60 }, 100)).toHaveLength(6);
    expect(pointsInView(tree, xs, ys, { x0: 100, y0: 100, x1: 200, y1: 200 }, 10)).toEqual([]);
  });
});
