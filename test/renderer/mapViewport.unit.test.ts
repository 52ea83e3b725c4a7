import { describe, expect, it } from 'vitest';
import {
  besidePointer,
  dotRadius,
  fitLayout,
  placePoints,
  toBase,
  visibleRect,
} from '../../renderer/src/lib/map/viewport.js';

describe('map viewport', () => {
  it('fits points into the canvas with one scale on both axes, centred, y upwards', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 2, y: 1 },
    ];
    // 80 px of room each way: x spans 2 units (40 px per unit), y 1 unit; the smaller scale wins.
    const layout = fitLayout(points, { width: 100, height: 100 }, 10);
    expect(layout.x(0)).toBeCloseTo(10);
    expect(layout.x(2)).toBeCloseTo(90);
    expect(layout.y(0)).toBeCloseTo(70);
    expect(layout.y(1)).toBeCloseTo(30);
    expect(layout.y(0.5)).toBeCloseTo(50);
    const { xs, ys } = placePoints(points, layout);
    expect([...xs]).toEqual([10, 90]);
    expect([...ys]).toEqual([70, 30]);
  });

  it('fits a tall cloud by its height', () => {
    const layout = fitLayout(
      [
        { x: 5, y: -3 },
        { x: 5, y: 3 },
        { x: 6, y: 0 },
      ],
      { width: 300, height: 100 },
      20,
    );
    // 60 px of height for 6 units: 10 px per unit, centred at x = 5.5 → 150 px.
    expect(layout.y(-3)).toBeCloseTo(80);
    expect(layout.y(3)).toBeCloseTo(20);
    expect(layout.x(5)).toBeCloseTo(145);
    expect(layout.x(6)).toBeCloseTo(155);
  });

  it('puts a lone point, or identical ones, in the middle', () => {
    for (const points of [
      [{ x: 3, y: 4 }],
      [
        { x: 3, y: 4 },
        { x: 3, y: 4 },
      ],
      [],
    ]) {
      const layout = fitLayout(points, { width: 200, height: 100 }, 10);
      const { xs, ys } = placePoints(points, layout);
      for (let i = 0; i < points.length; i++) {
        expect(xs[i]).toBeCloseTo(100);
        expect(ys[i]).toBeCloseTo(50);
      }
      expect(Number.isFinite(layout.x(0))).toBe(true);
    }
  });

  it('turns the zoom transform into the base rectangle on screen, and screen points into base pixels', () => {
    const view = { k: 2, x: 10, y: 20 };
    expect(visibleRect(view, { width: 100, height: 50 })).toEqual({ x0: -5, y0: -10, x1: 45, y1: 15 });
    expect(toBase(view, [30, 40])).toEqual([10, 10]);
    expect(toBase({ k: 1, x: 0, y: 0 }, [7, 9])).toEqual([7, 9]);
  });

  it('draws smaller dots for crowded maps, growing slowly with the zoom up to a cap', () => {
    expect(dotRadius(100, 1)).toBeGreaterThan(dotRadius(3000, 1));
    expect(dotRadius(3000, 1)).toBeGreaterThan(dotRadius(20_000, 1));
    expect(dotRadius(20_000, 4)).toBeCloseTo(2 * dotRadius(20_000, 1));
    expect(dotRadius(20_000, 0.5)).toBe(dotRadius(20_000, 1));
    expect(dotRadius(100, 1000)).toBe(12);
  });

  it.each([
    ['below right where there is room', [100, 100], [116, 116]],
    ['left of the pointer near the right edge', [450, 100], [184, 116]],
    ['above the pointer near the bottom', [100, 350], [116, 184]],
    ['against the left edge where neither side has room', [200, 100], [0, 116]],
  ] as const)('puts the tooltip %s', (_, at, expected) => {
    const area = { width: at[0] === 200 ? 300 : 500, height: 400 };
    expect(besidePointer(at, { width: 250, height: 150 }, area, 16)).toEqual(expected);
  });
});
