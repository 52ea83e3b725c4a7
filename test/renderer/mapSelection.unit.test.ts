import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  combineSelection,
  extendLasso,
  indicesInPolygon,
  indicesInRect,
  indicesOfFiles,
  rectBetween,
  summariseSelection,
  type Vertex,
} from '../../renderer/src/lib/map/selection.js';

/** Points at (x, y) for each pair. */
const cloud = (pairs: Vertex[]) => ({
  xs: Float32Array.from(pairs, ([x]) => x),
  ys: Float32Array.from(pairs, ([, y]) => y),
});

describe('map selection', () => {
  it('spans a rectangle between two corners in any order', () => {
    expect(rectBetween([10, 2], [4, 8])).toEqual({ x0: 4, y0: 2, x1: 10, y1: 8 });
    expect(
      boundsOf([
        [3, 1],
        [-2, 5],
        [0, -4],
      ]),
    ).toEqual({ x0: -2, y0: -4, x1: 3, y1: 5 });
  });

  it('boxes the points inside a rectangle, edges included', () => {
    const { xs, ys } = cloud([
      [0, 0],
      [5, 5],
      [10, 10],
      [10.01, 5],
      [5, -0.01],
    ]);
    expect(indicesInRect(xs, ys, { x0: 0, y0: 0, x1: 10, y1: 10 })).toEqual([0, 1, 2]);
  });

  it('lassos the points inside a concave polygon and leaves its notch out', () => {
    // An L: the square 0–10 less its top-right quarter.
    const lasso: Vertex[] = [
      [0, 0],
      [10, 0],
      [10, 5],
      [5, 5],
      [5, 10],
      [0, 10],
    ];
    const { xs, ys } = cloud([
      [2, 2],
      [8, 2],
      [2, 8],
      [8, 8],
      [11, 1],
      [-1, 5],
    ]);
    expect(indicesInPolygon(xs, ys, lasso)).toEqual([0, 1, 2]);
  });

  it('follows the even-odd rule where a lasso crosses itself', () => {
    // A bow tie: two triangles meeting at (5, 5).
    const lasso: Vertex[] = [
      [0, 0],
      [10, 10],
      [10, 0],
      [0, 10],
    ];
    const { xs, ys } = cloud([
      [2, 5],
      [8, 5],
      [5, 2],
      [5, 8],
    ]);
    expect(indicesInPolygon(xs, ys, lasso)).toEqual([0, 1]);
  });

  it('selects nothing with a lasso of fewer than three vertices', () => {
    const { xs, ys } = cloud([
      [0, 0],
      [1, 1],
    ]);
    expect(
      indicesInPolygon(xs, ys, [
        [0, 0],
        [1, 1],
      ]),
    ).toEqual([]);
  });

  it('keeps a lasso short: a vertex closer than the step to the last is dropped', () => {
    const lasso: Vertex[] = [[0, 0]];
    expect(extendLasso(lasso, [1, 1], 3)).toBe(false);
    expect(extendLasso(lasso, [3, 0], 3)).toBe(true);
    expect(extendLasso(lasso, [3, 2.9], 3)).toBe(false);
    expect(lasso).toEqual([
      [0, 0],
      [3, 0],
    ]);
  });

  it.each([
    ['replace', [3, 4], [3, 4]],
    ['add', [3, 4], [1, 2, 3, 4]],
    ['remove', [2, 4], [1, 3]],
  ] as const)('combines a new choice with the selection: %s', (how, chosen, expected) => {
    const current = new Set([1, 2, 3]);
    expect([...combineSelection(current, chosen, how)].sort()).toEqual(expected);
    expect([...current]).toEqual([1, 2, 3]);
  });

  it('carries a selection over to new points by file', () => {
    const points = ['c', 'a', 'x', 'b'].map((file) => ({ file }));
    expect([...indicesOfFiles(points, ['a', 'b', 'gone'])]).toEqual([1, 3]);
    expect(indicesOfFiles(points, []).size).toBe(0);
  });

  it('sums a selection up by kind and by folder class, most frequent class first', () => {
    const points = [
      { kind: 'inbox', class: null },
      { kind: 'sorted', class: 'cats' },
      { kind: 'sorted', class: 'dogs' },
      { kind: 'reference', class: 'dogs' },
      { kind: 'sorted', class: 'birds' },
      { kind: 'sorted', class: 'cats' },
    ] as const;
    expect(summariseSelection(points, [0, 1, 2, 3, 4, 99])).toEqual({
      count: 5,
      inbox: 1,
      reference: 1,
      sorted: 3,
      classes: [
        { name: 'dogs', count: 2 },
        { name: 'birds', count: 1 },
        { name: 'cats', count: 1 },
      ],
    });
    expect(summariseSelection(points, [])).toEqual({
      count: 0,
      inbox: 0,
      reference: 0,
      sorted: 0,
      classes: [],
    });
  });
});
