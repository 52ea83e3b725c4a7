/**
 * Packed unit embeddings clustered as photos' are: subjects sharing one common direction, so that unrelated rows
 * have a cosine of about 0.5 and rows of one subject about 0.8, as CLIP's image embeddings do. Row i is of
 * subject i mod `subjects`.
 */
import type { Embeddings } from '../../electron/engine/analysis/embeddings.js';
import { gaussian, seededRandom } from '../../electron/engine/analysis/random.js';

export interface PhotoLikeOptions {
  rows: number;
  dims: number;
  subjects: number;
  seed: number;
  /** One more row last: a near-copy of row 0 (a re-encoding, cosine about 0.99). */
  copyOfFirst?: boolean;
}

/** Scales row `r` of `data` to unit length. */
function normalise(data: Float32Array, dims: number, r: number): void {
  const row = data.subarray(r * dims, (r + 1) * dims);
  let sum = 0;
  for (const x of row) sum += x * x;
  const norm = Math.sqrt(sum);
  for (let t = 0; t < dims; t++) row[t]! /= norm;
}

export function photoLikeEmbeddings({
  rows,
  dims,
  subjects,
  seed,
  copyOfFirst = false,
}: PhotoLikeOptions): Embeddings {
  const normal = gaussian(seededRandom(seed));
  const common = Float32Array.from({ length: dims }, () => normal());
  const centres = Array.from({ length: subjects }, () =>
    Float32Array.from({ length: dims }, (_, t) => common[t]! + 0.9 * normal()),
  );
  const data = new Float32Array((rows + (copyOfFirst ? 1 : 0)) * dims);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < dims; t++) data[r * dims + t] = centres[r % subjects]![t]! + 0.6 * normal();
    normalise(data, dims, r);
  }
  if (copyOfFirst) {
    for (let t = 0; t < dims; t++) data[rows * dims + t] = data[t]! + 0.02 * normal();
    normalise(data, dims, rows);
  }
  return { data, dims };
}

/** A copy of row `i`. */
export const embeddingRow = (e: Embeddings, i: number): Float32Array =>
  e.data.slice(i * e.dims, (i + 1) * e.dims);
