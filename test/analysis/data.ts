/** Test data with known structure, and the agreement between two labellings. */
import { type Embeddings } from '../../electron/engine/analysis/embeddings.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';

/** Scales every row to unit length, as library embeddings are. */
export function normaliseRows(data: Float32Array, dims: number): Float32Array {
  for (let i = 0; i < data.length; i += dims) {
    let s = 0;
    for (let t = 0; t < dims; t++) s += data[i + t]! * data[i + t]!;
    const norm = Math.sqrt(s);
    for (let t = 0; t < dims; t++) data[i + t]! /= norm;
  }
  return data;
}

/**
 * `sizes.length` Gaussian blobs on the unit sphere: random centres in `dims` dimensions (nearly orthogonal)
 * with noise of `spread` per coordinate, normalised. Rows come blob by blob; `labels` says which blob each is
 * from.
 */
export function blobs(
  sizes: readonly number[],
  dims: number,
  spread: number,
  seed = 1,
): Embeddings & { labels: Int32Array } {
  const normal = gaussian(seededRandom(seed));
  const centres = sizes.map(() => normaliseRows(Float32Array.from({ length: dims }, normal), dims));
  const total = sizes.reduce((a, b) => a + b, 0);
  const data = new Float32Array(total * dims);
  const labels = new Int32Array(total);
  let row = 0;
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++, row++) {
      labels[row] = c;
      for (let t = 0; t < dims; t++) data[row * dims + t] = centres[c]![t]! + spread * normal();
    }
  });
  return { data: normaliseRows(data, dims), dims, labels };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** The adjusted Rand index (Hubert & Arabie, 1985): 1 for the same partition, about 0 for unrelated ones. */
export function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const columns = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    columns.set(b[i]!, (columns.get(b[i]!) ?? 0) + 1);
  }
  const sum = (m: Map<unknown, number>) => [...m.values()].reduce((s, v) => s + pairs(v), 0);
  const index = sum(table);
  const expected = (sum(rows) * sum(columns)) / pairs(n);
  const maximum = (sum(rows) + sum(columns)) / 2;
  return maximum === expected ? 1 : (index - expected) / (maximum - expected);
}
