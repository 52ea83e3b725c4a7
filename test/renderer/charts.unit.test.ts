import { interpolateRgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { baseName, formatNumber, formatShare } from '../../renderer/src/lib/charts/format.js';
import {
  categorySpans,
  cellAt,
  colourRamp,
  heatPixels,
  valueExtent,
} from '../../renderer/src/lib/charts/heatmap.js';
import { lineLayout, rankOf, sampleCurve } from '../../renderer/src/lib/charts/lineChart.js';

const box = { width: 300, height: 200, margin: { top: 10, right: 20, bottom: 30, left: 40 } };

describe('line chart layout', () => {
  it('maps the data onto the plot inside the margins', () => {
    const layout = lineLayout(
      [
        { x: 2, y: 100 },
        { x: 4, y: 40 },
        { x: 6, y: 20 },
      ],
      box,
      { zeroY: true },
    );
    expect(layout.x(2)).toBe(40);
    expect(layout.x(6)).toBe(280);
    expect(layout.x(4)).toBe(160);
    // y from 0 (bottom of the plot) to 100 (top).
    expect(layout.y(0)).toBe(170);
    expect(layout.y(100)).toBe(10);
    expect(layout.path).toBe('M40,10L160,106L280,138');
    expect(layout.yTicks[0]).toBe(0);
    expect(layout.yTicks.at(-1)).toBe(100);
  });

  it('leaves a gap at a missing value and keeps whole-number ticks only', () => {
    const layout = lineLayout(
      [
        { x: 2, y: 0.5 },
        { x: 3, y: null },
        { x: 4, y: 0.7 },
        { x: 5, y: 0.6 },
      ],
      box,
      { integerX: true },
    );
    // Two segments: a lone point (M…Z-less move) and a line.
    expect(layout.path.match(/M/g)).toHaveLength(2);
    expect(layout.xTicks).toEqual([2, 3, 4, 5]);
    expect(layout.y.domain()[0]).toBeLessThanOrEqual(0.5);
    expect(layout.y.domain()[1]).toBeGreaterThanOrEqual(0.7);
  });

  it('still has an axis for one point or none', () => {
    const one = lineLayout([{ x: 3, y: 5 }], box);
    // A lone x gets a tenth of its size either side.
    expect(one.x.domain()).toEqual([2.7, 3.3]);
    expect(one.y.domain()[0]).toBeLessThan(5);
    expect(one.y.domain()[1]).toBeGreaterThan(5);
    expect(one.path).toBe(`M${one.x(3)},${one.y(5)}Z`);
    const none = lineLayout([], box);
    expect(none.path).toBe('');
    expect(none.x.domain()).toEqual([0, 1]);
  });
});

describe('sampling a long curve', () => {
  it('keeps short curves whole', () => {
    expect(sampleCurve([3, 1, 2], 10)).toEqual([
      { x: 0, y: 3 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
  });

  it('keeps the first and last point and spaces the rest evenly', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i * i);
    const sampled = sampleCurve(values, 11);
    expect(sampled.map((p) => p.x)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(sampled.every((p) => p.y === p.x * p.x)).toBe(true);
  });

  it('finds where a value falls in a sorted list', () => {
    const sorted = [0.1, 0.2, 0.2, 0.4, 0.9];
    expect.soft(rankOf(sorted, 0.2)).toBe(1);
    expect.soft(rankOf(sorted, 0.3)).toBe(3);
    expect.soft(rankOf(sorted, 0)).toBe(0);
    expect.soft(rankOf(sorted, 5)).toBe(4);
    expect.soft(rankOf([], 1)).toBe(0);
  });
});

describe('heatmap helpers', () => {
  it.each([
    [[], []],
    [['a'], [{ category: 'a', start: 0, end: 1 }]],
    [
      ['a', 'a', 'b', 'b', 'b', 'a'],
      [
        { category: 'a', start: 0, end: 2 },
        { category: 'b', start: 2, end: 5 },
        { category: 'a', start: 5, end: 6 },
      ],
    ],
  ])('groups %j into runs', (categories, spans) => {
    expect(categorySpans(categories)).toEqual(spans);
  });

  it('finds the value range, optionally without the diagonal', () => {
    const matrix = [
      [1, 0.2, -0.1],
      [0.2, 1, 0.6],
      [-0.1, 0.6, 1],
    ];
    expect(valueExtent(matrix)).toEqual([-0.1, 1]);
    expect(valueExtent(matrix, true)).toEqual([-0.1, 0.6]);
    expect(valueExtent([[0.3, Number.NaN]])).toEqual([-0.2, 0.8]);
    expect(valueExtent([])).toEqual([0, 1]);
  });

  it('builds a colour ramp from an interpolator', () => {
    const ramp = colourRamp(interpolateRgb('black', 'white'), 3);
    expect([...ramp]).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
  });

  it('colours each cell by its place on the domain, clamped, and leaves missing cells transparent', () => {
    const ramp = colourRamp(interpolateRgb('rgb(0,0,0)', 'rgb(200,100,0)'), 5);
    const pixels = heatPixels(
      [
        [0, 0.5],
        [1, 7],
        [-3, Number.NaN],
      ],
      2,
      [0, 1],
      ramp,
    );
    expect([...pixels]).toEqual([
      ...[0, 0, 0, 255],
      ...[100, 50, 0, 255],
      ...[200, 100, 0, 255],
      ...[200, 100, 0, 255],
      ...[0, 0, 0, 255],
      ...[0, 0, 0, 0],
    ]);
  });

  it('finds the cell under the pointer', () => {
    const plot = { width: 100, height: 50 };
    expect(cellAt(0, 0, plot, 5, 4)).toEqual({ row: 0, column: 0 });
    expect(cellAt(99.9, 49.9, plot, 5, 4)).toEqual({ row: 4, column: 3 });
    expect(cellAt(30, 25, plot, 5, 4)).toEqual({ row: 2, column: 1 });
    expect(cellAt(100, 10, plot, 5, 4)).toBeUndefined();
    expect(cellAt(-1, 10, plot, 5, 4)).toBeUndefined();
    expect(cellAt(10, 10, plot, 0, 4)).toBeUndefined();
  });
});

describe('number formats', () => {
  it.each([
    [0.875, 'en', '87.5%'],
    // Spanish puts a no-break space before the sign.
    [0.875, 'es', '87,5\u00a0%'],
    [1, 'en', '100%'],
    [null, 'en', '–'],
    [Number.NaN, 'en', '–'],
  ] as const)('formats the share %s in %s as %s', (value, language, text) => {
    expect(formatShare(value, language)).toBe(text);
  });

  it('formats measurements with fixed decimals', () => {
    expect(formatNumber(0.71234, 'en')).toBe('0.71');
    expect(formatNumber(1234.5, 'es', 1)).toBe('1234,5');
    expect(formatNumber(undefined, 'es')).toBe('–');
  });

  it('names a file by its last segment', () => {
    expect(baseName('Dataset/red/red-0.jpg')).toBe('red-0.jpg');
    expect(baseName('plain.png')).toBe('plain.png');
  });
});
