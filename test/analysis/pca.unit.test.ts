import { PCA } from 'ml-pca';
import { describe, expect, it } from 'vitest';
import { pca, projectOnto } from '../../electron/engine/analysis/pca.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';
import { normaliseRows } from './data.js';

/** An orthonormal basis of `dims` dimensions (rows), from Gram–Schmidt on Gaussian vectors. */
function randomBasis(dims: number, seed: number): number[][] {
  const normal = gaussian(seededRandom(seed));
  const basis: number[][] = [];
  while (basis.length < dims) {
    const v = Array.from({ length: dims }, normal);
    for (const b of basis) {
      const p = v.reduce((s, x, i) => s + x * b[i]!, 0);
      v.forEach((_, i) => (v[i]! -= p * b[i]!));
    }
    const norm = Math.hypot(...v);
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

/** Rows with standard deviation `spread[i]` along basis vector i (plus an offset): the answer is known. */
function knownVariance(n: number, spread: number[], basis: number[][], seed: number): Float32Array {
  const dims = spread.length;
  const normal = gaussian(seededRandom(seed));
  const data = new Float32Array(n * dims);
  for (let r = 0; r < n; r++) {
    const weights = spread.map((s) => s * normal());
    for (let t = 0; t < dims; t++) {
      data[r * dims + t] = 3 + weights.reduce((sum, w, i) => sum + w * basis[i]![t]!, 0);
    }
  }
  return data;
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('PCA', () => {
  it('finds the axes and shares of variance of data built with known ones', () => {
    const spread = [5, 3, 1, 0.5, 0.5, 0.25];
    const basis = randomBasis(6, 7);
    const data = knownVariance(20_000, spread, basis, 8);
    const fit = pca({ data, dims: 6 }, 2, 1);
    const variances = spread.map((s) => s * s);
    const total = variances.reduce((a, b) => a + b, 0);
    // Sample variances differ from the population's by about √(2/n) ≈ 1 %.
    expect(fit.explained[0]).toBeCloseTo(variances[0]! / total, 2);
    expect(fit.explained[1]).toBeCloseTo(variances[1]! / total, 2);
    expect(fit.variances[0]! / variances[0]!).toBeCloseTo(1, 1);
    expect(Math.abs(cosine(fit.components.subarray(0, 6), basis[0]!))).toBeGreaterThan(0.999);
    expect(Math.abs(cosine(fit.components.subarray(6, 12), basis[1]!))).toBeGreaterThan(0.999);
    expect(fit.mean.every((m) => Math.abs(m - 3) < 0.1)).toBe(true);
  });

  it('agrees with ml-pca on small data', () => {
    const normal = gaussian(seededRandom(11));
    const rows = Array.from({ length: 200 }, (_, r) =>
      Array.from({ length: 10 }, (_, t) => normal() * (1 + t) + (r % 3) * t),
    );
    const data = normaliseRows(Float32Array.from(rows.flat()), 10);
    const reference = new PCA(
      Array.from({ length: 200 }, (_, r) => Array.from(data.subarray(r * 10, (r + 1) * 10))),
      { method: 'covarianceMatrix' },
    );
    const fit = pca({ data, dims: 10 }, 3, 2);
    const explained = reference.getExplainedVariance();
    const loadings = reference.getLoadings();
    for (let c = 0; c < 3; c++) {
      expect(fit.explained[c]).toBeCloseTo(explained[c]!, 6);
      expect(Math.abs(cosine(fit.components.subarray(c * 10, (c + 1) * 10), loadings.getRow(c)))).toBeCloseTo(
        1,
        6,
      );
    }
    const projected = projectOnto({ data, dims: 10 }, fit);
    const scores = reference.predict(
      Array.from({ length: 200 }, (_, r) => Array.from(data.subarray(r * 10, (r + 1) * 10))),
      { nComponents: 3 },
    );
    const sign = Math.sign(projected[0]! * scores.get(0, 0));
    for (let r = 0; r < 5; r++) expect(projected[r * 3]).toBeCloseTo(sign * scores.get(r, 0), 6);
  });

  it('starts large data from a sample and still converges to the whole data’s axes', () => {
    const spread = [4, 2, 1.5, 1, 1, 1, 0.5, 0.5];
    const basis = randomBasis(8, 21);
    const data = knownVariance(60_000, spread, basis, 22);
    const fit = pca({ data, dims: 8 }, 2, 3);
    const reference = new PCA(
      Array.from({ length: 60_000 }, (_, r) => Array.from(data.subarray(r * 8, (r + 1) * 8))),
      { method: 'covarianceMatrix' },
    );
    expect(fit.explained[0]).toBeCloseTo(reference.getExplainedVariance()[0]!, 5);
    expect(fit.explained[1]).toBeCloseTo(reference.getExplainedVariance()[1]!, 5);
    expect(Math.abs(cosine(fit.components.subarray(0, 8), reference.getLoadings().getRow(0)))).toBeCloseTo(
      1,
      5,
    );
  });

  it('gives the same axes for the same data whatever the seed, signed the same way', () => {
    const data = knownVariance(500, [3, 2, 1], randomBasis(3, 4), 5);
    const a = pca({ data, dims: 3 }, 2, 1);
    const b = pca({ data, dims: 3 }, 2, 99);
    for (let i = 0; i < 6; i++) expect(b.components[i]).toBeCloseTo(a.components[i]!, 6);
  });
});
