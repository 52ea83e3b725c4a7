import { describe, expect, it } from 'vitest';
import { findStacks, stackKey } from '../../renderer/src/lib/map/stacks.js';
import { thumbnailSize } from '../../renderer/src/lib/map/thumbnailSize.js';

describe('stacked map points', () => {
  it('finds the points that share a spot, with how many, and leaves lone points out', () => {
    const xs = [10, 10, 10.1, 50, 80, 80];
    const ys = [20, 20, 19.9, 50, 90, 90];
    const stacks = findStacks(xs, ys);
    expect(stacks.map(({ index, count }) => [index, count])).toEqual([
      [0, 3],
      [4, 2],
    ]);
    expect(stacks[0]!.key).toBe(stackKey(10.1, 19.9));
    expect(findStacks([1, 2, 3], [1, 2, 3])).toEqual([]);
  });
});

describe('map thumbnails', () => {
  it('replace dots from under 2× zoom, growing with the zoom up to a limit', () => {
    expect(thumbnailSize(1)).toBe(0);
    expect(thumbnailSize(1.5)).toBe(0);
    expect(thumbnailSize(2)).toBeGreaterThanOrEqual(32);
    expect(thumbnailSize(3)).toBeGreaterThan(thumbnailSize(2));
    expect(thumbnailSize(50)).toBe(thumbnailSize(400));
  });
});
