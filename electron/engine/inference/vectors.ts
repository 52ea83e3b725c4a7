/** Small vector maths on embeddings (Float32Array rows). */

/** Scales `v` to unit length in place and returns it; a zero vector stays zero. */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Dot product; the cosine similarity of unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Element-wise mean of equally long vectors. */
export function meanVector(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]?.length ?? 0);
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= Math.max(vectors.length, 1);
  return out;
}

/** The normalised mean of embeddings: a class centroid or a prompt ensemble. */
export function centroid(vectors: readonly Float32Array[]): Float32Array {
  return l2Normalise(meanVector(vectors));
}
