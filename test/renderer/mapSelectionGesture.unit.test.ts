import { describe, expect, it } from 'vitest';
import { SelectionGesture } from '../../renderer/src/lib/map/selectionGesture.js';

// Base pixels; the view doubles them and shifts them 10 px right: screen = base × 2 + (10, 0).
const xs = Float32Array.from([0, 5, 10, 20, 5]);
const ys = Float32Array.from([0, 5, 10, 20, 12]);
const view = { k: 2, x: 10, y: 0 };

describe('map selection gesture', () => {
  it('boxes the points between where the drag started and ended, through the view', () => {
    const gesture = new SelectionGesture('box', [40, 30], 'add');
    expect(gesture.move([20, 8])).toEqual({ box: { x0: 20, y0: 8, x1: 40, y1: 30 } });
    // The screen box (18, 8)–(40, 30) is the base box (4, 4)–(15, 15).
    expect(gesture.finish([18, 8], view, xs, ys)).toEqual([1, 2, 4]);
    expect(gesture.how).toBe('add');
  });

  it('lassos the points inside the path the pointer drew', () => {
    const gesture = new SelectionGesture('lasso', [18, 8], 'replace');
    for (const at of [
      [42, 8],
      [42, 22],
      [18, 22],
    ] as const) {
      gesture.move([at[0], at[1]]);
    }
    // In base pixels the path is the rectangle (4, 4)–(16, 11): points 1 and 2 are inside, point 4 (y 12) is not.
    expect(gesture.finish([18, 9], view, xs, ys)).toEqual([1, 2]);
  });

  it('is a click, choosing nothing, while the pointer stays within a few pixels', () => {
    const gesture = new SelectionGesture('box', [100, 100], 'replace');
    expect(gesture.move([102, 101])).toBeUndefined();
    expect(gesture.finish([101, 103], view, xs, ys)).toBeUndefined();
    expect(gesture.moved).toBe(false);
  });

  it('stays a drag once it has moved, even if the pointer comes back', () => {
    const gesture = new SelectionGesture('box', [100, 100], 'replace');
    gesture.move([120, 120]);
    expect(gesture.finish([100, 100], view, xs, ys)).toEqual([]);
  });
});
