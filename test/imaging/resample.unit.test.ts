import { describe, expect, it } from 'vitest';
import { roundHalfToEven, resizedSize, centreCropBox } from '../../electron/engine/imaging/geometry.js';
import { crop, resizeBicubic, type RawImage } from '../../electron/engine/imaging/resample.js';

const image = (width: number, height: number, pixel: (x: number, y: number) => number[]): RawImage => {
  const channels = pixel(0, 0).length;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * channels);
  return { data, width, height, channels };
};

describe('Pillow-compatible bicubic resampling', () => {
  it('keeps a flat image flat at any size', () => {
    const flat = image(7, 5, () => [10, 128, 250]);
    for (const [w, h] of [
      [3, 2],
      [7, 5],
      [50, 31],
    ] as const) {
      const out = resizeBicubic(flat, w, h);
      expect(out.width * out.height * 3).toBe(out.data.length);
      expect(new Set(Array.from(out.data.filter((_, i) => i % 3 === 0)))).toEqual(new Set([10]));
      expect(new Set(Array.from(out.data.filter((_, i) => i % 3 === 2)))).toEqual(new Set([250]));
    }
  });

  it('returns the same pixels at the same size', () => {
    const ramp = image(6, 4, (x, y) => [x * 40, y * 60]);
    expect(resizeBicubic(ramp, 6, 4).data).toEqual(ramp.data);
  });

  it('overshoots at a hard edge when enlarging and clamps to 0..255 (the bicubic ringing Pillow has)', () => {
    const edge = image(4, 1, (x) => [x < 2 ? 0 : 255]);
    const out = Array.from(resizeBicubic(edge, 16, 1).data);
    expect(out[0]).toBe(0);
    expect(out[15]).toBe(255);
    expect(out).toEqual([...out].sort((a, b) => a - b));
  });

  it('averages when shrinking by two (support widened by the scale)', () => {
    const stripes = image(8, 1, (x) => [x % 2 === 0 ? 0 : 200]);
    const out = Array.from(resizeBicubic(stripes, 4, 1).data);
    for (const value of out.slice(1, 3)) expect(Math.abs(value - 100)).toBeLessThanOrEqual(2);
  });

  it('crops a window', () => {
    const grid = image(4, 3, (x, y) => [x + 10 * y]);
    expect(Array.from(crop(grid, 1, 1, 2, 2).data)).toEqual([11, 12, 21, 22]);
  });
});

describe('reference geometry', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [56.5, 56],
    [57.5, 58],
    [-0.5, 0],
    [-1.5, -2],
    [3.2, 3],
    [3.7, 4],
  ])('roundHalfToEven(%d) = %d', (x, expected) => {
    expect(roundHalfToEven(x)).toBe(expected);
  });

  it.each([
    [
      { width: 451, height: 300 },
      { width: 336, height: 224 },
    ],
    [
      { width: 300, height: 400 },
      { width: 224, height: 298 },
    ],
    [
      { width: 10, height: 7 },
      { width: 320, height: 224 },
    ],
    [
      { width: 224, height: 224 },
      { width: 224, height: 224 },
    ],
  ])('resizedSize(%o) = %o', (input, expected) => {
    expect(resizedSize(input, { shortestEdge: 224 })).toEqual(expected);
  });

  it('refuses a crop larger than the image', () => {
    expect(() => centreCropBox({ width: 100, height: 300 }, { width: 224, height: 224 })).toThrow(RangeError);
  });
});
