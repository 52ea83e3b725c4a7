/** Test data for the pair kernels: clustered unit vectors with planted near-copies, and the slow answer. */
import { l2Normalise } from '../../electron/engine/inference/vectors.js';
import { random } from '../helpers/images.js';

/** Unit vectors around a few shared directions, with near-copies planted: every pair's cosine spread widely. */
export function library(rows: number, dims: number, seed: number): Float32Array[] {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const direction = () => l2Normalise(Float32Array.from({ length: dims }, gaussian));
  const themes = Array.from({ length: 4 }, direction);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < rows; i++) {
    const copyOf = i > 0 && next() < 0.3 ? vectors[Math.floor(next() * i)] : undefined;
    const base = copyOf ?? themes[i % themes.length]!;
    const noise = copyOf ? 0.05 + 0.3 * next() : 1.2;
    const n = direction();
    vectors.push(l2Normalise(base.map((x, d) => x + noise * n[d]!)));
  }
  return vectors;
}

/** Every pair at or above the threshold, the slow way, in float64. */
export function bruteForce(vectors: Float32Array[], threshold: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      let sum = 0;
      for (let d = 0; d < vectors[i]!.length; d++) sum += vectors[i]![d]! * vectors[j]![d]!;
      if (sum >= threshold) pairs.push([i, j]);
    }
  }
  return pairs;
}
