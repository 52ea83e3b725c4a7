import { describe, expect, it } from 'vitest';
import { dotBlock } from '../../electron/engine/inference/dotKernel.js';
import { blockDots } from '../../electron/engine/analysis/embeddings.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';

/** x_i · y_j summed in order over the dimensions, as the kernel promises whatever its grouping. */
function dot(x: ArrayLike<number>, i: number, y: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[i * d + k]! * y[j * d + k]!;
  return s;
}

describe('dot products of row blocks', () => {
  it('places every product of two row ranges at its offset and stride, whatever the counts', () => {
    const normal = gaussian(seededRandom(1));
    const d = 7;
    const x = Float32Array.from({ length: 9 * d }, normal);
    const y = Float64Array.from({ length: 11 * d }, normal);
    // Rows 2..6 of x (an odd count) against 1..10 of y (not a multiple of four), at offset 3 with stride 12.
    const out = new Float64Array(3 + 5 * 12).fill(-99);
    dotBlock(x, 2, 7, y, 1, 10, d, out, 3, 12);
    for (let i = 2; i < 7; i++) {
      for (let j = 1; j < 10; j++) expect(out[3 + (i - 2) * 12 + (j - 1)]).toBe(dot(x, i, y, j, d));
    }
    // Nothing outside the block is written.
    const written = new Set<number>();
    for (let r = 0; r < 5; r++) for (let c = 0; c < 9; c++) written.add(3 + r * 12 + c);
    out.forEach((value, at) => {
      if (!written.has(at)) expect(value).toBe(-99);
    });
  });

  it('takes float64 rows of x as the probe gives them, exactly as float64 sums', () => {
    const normal = gaussian(seededRandom(3));
    const d = 6;
    const x = Float64Array.from({ length: 3 * d }, normal);
    const y = Float64Array.from({ length: 5 * d }, normal);
    const out = new Float64Array(3 * 5);
    dotBlock(x, 0, 3, y, 0, 5, d, out, 0, 5);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(out[i * 5 + j]).toBe(dot(x, i, y, j, d));
  });

  it('multiplies embeddings blocks exactly, across more columns than are widened at once', () => {
    const normal = gaussian(seededRandom(2));
    const d = 5;
    const a = { data: Float32Array.from({ length: 7 * d }, normal), dims: d };
    const b = { data: Float32Array.from({ length: 600 * d }, normal), dims: d };
    const width = 590 - 3;
    const out = new Float64Array(4 * width);
    blockDots(a, 1, 5, b, 3, 590, out);
    for (let i = 1; i < 5; i++) {
      for (let j = 3; j < 590; j++) expect(out[(i - 1) * width + (j - 3)]).toBe(dot(a.data, i, b.data, j, d));
    }
  });
});
