/**
 * The mean silhouette (Rousseeuw, 1987) on cosine distance, exactly and in O(n·k·d) instead of O(n²·d): for
 * unit vectors the mean cosine distance from x to a cluster C is 1 − x·(Σ_{y∈C} y)/|C|, so one sum per
 * cluster gives every mean distance at once.
 */
import { rowCount, type Embeddings } from './embeddings.js';

/**
 * Mean silhouette of the rows of `e` (unit vectors) labelled 0…k−1; rows labelled −1 (noise) are left out. A
 * row alone in its cluster scores 0, as usual. Null with fewer than two non-empty clusters.
 */
export function silhouette(e: Embeddings, labels: Int32Array): number | null {
  const { data: x, dims: d } = e;
  const n = rowCount(e);
  const k = labels.reduce((most, label) => Math.max(most, label + 1), 0);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (c < 0) continue;
    sizes[c]!++;
    for (let t = 0; t < d; t++) sums[c * d + t]! += x[i * d + t]!;
  }
  if (sizes.filter((size) => size > 0).length < 2) return null;
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    if (own < 0) continue;
    counted++;
    if (sizes[own] === 1) continue;
    let self = 0;
    for (let t = 0; t < d; t++) self += x[i * d + t]! * x[i * d + t]!;
    let a = 0;
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      const size = sizes[c]!;
      if (size === 0) continue;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += x[i * d + t]! * sums[c * d + t]!;
      // Σ_{y∈C} (1 − x·y), leaving x itself out of its own cluster.
      if (c === own) a = (size - 1 - (dot - self)) / (size - 1);
      else b = Math.min(b, (size - dot) / size);
    }
    const scale = Math.max(a, b);
    if (scale > 0) total += (b - a) / scale;
  }
  return total / counted;
}
