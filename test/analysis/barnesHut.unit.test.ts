import { describe, expect, it } from 'vitest';
import { barnesHutRepulsion } from '../../electron/engine/analysis/barnesHut.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';

/** The exact sums the approximation stands for. */
function exactRepulsion(y: Float64Array, repulsion: Float64Array): number {
  const n = y.length / 2;
  let z = 0;
  repulsion.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      const q = 1 / (1 + dx * dx + dy * dy);
      z += q;
      repulsion[2 * i]! += q * q * dx;
      repulsion[2 * i + 1]! += q * q * dy;
    }
  }
  return z;
}

describe('Barnes–Hut repulsion', () => {
  const normal = gaussian(seededRandom(5));
  // Two clusters and a spread of points, as a t-SNE layout has.
  const y = Float64Array.from({ length: 2 * 600 }, (_, t) =>
    t < 400 ? 3 * normal() + (t % 4 < 2 ? 10 : -10) : 8 * normal(),
  );

  it('is exact with θ = 0 and close with the default θ', () => {
    const exact = new Float64Array(y.length);
    const z = exactRepulsion(y, exact);
    const sharp = new Float64Array(y.length);
    expect(barnesHutRepulsion(y, sharp, 0)).toBeCloseTo(z, 6);
    sharp.forEach((value, t) => expect(value).toBeCloseTo(exact[t]!, 9));
    const approximate = new Float64Array(y.length);
    expect(Math.abs(barnesHutRepulsion(y, approximate) - z) / z).toBeLessThan(0.03);
    let error = 0;
    let size = 0;
    approximate.forEach((value, t) => {
      error += (value - exact[t]!) ** 2;
      size += exact[t]! ** 2;
    });
    expect(Math.sqrt(error / size)).toBeLessThan(0.05);
  });

  it('handles coincident points without splitting them forever', () => {
    const same = new Float64Array(2 * 50).fill(1.5);
    same[0] = -2;
    const repulsion = new Float64Array(same.length);
    const exact = new Float64Array(same.length);
    expect(barnesHutRepulsion(same, repulsion)).toBeCloseTo(exactRepulsion(same, exact), 9);
    repulsion.forEach((value, t) => expect(value).toBeCloseTo(exact[t]!, 9));
  });
});
