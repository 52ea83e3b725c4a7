/**
 * Embeddings as one block of memory: what the analysis jobs take, and what crosses to their process cheaply.
 */

/**
 * `count` rows of `dims` numbers, row-major. Library embeddings are L2-normalised, so cosine = dot product.
 */
export interface Embeddings {
  data: Float32Array;
  dims: number;
}

/** Rows of `a` handled per block of `blockDots` calls: small enough to keep the output in cache. */
export const ROW_BLOCK = 64;

/** The number of rows. */
export const rowCount = (e: Embeddings): number => (e.dims > 0 ? e.data.length / e.dims : 0);

/** Packs equally long vectors into one block. */
export function packEmbeddings(vectors: readonly Float32Array[], dims = vectors[0]?.length ?? 0): Embeddings {
  const data = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => {
    if (v.length !== dims) throw new Error(`embeddings of different sizes: ${v.length} and ${dims}`);
    data.set(v, i * dims);
  });
  return { data, dims };
}

/** The rows at `indices`, in that order. */
export function pickRows(e: Embeddings, indices: ArrayLike<number>): Embeddings {
  const { data, dims } = e;
  const out = new Float32Array(indices.length * dims);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * dims;
    out.set(data.subarray(from, from + dims), i * dims);
  }
  return { data: out, dims };
}

/**
 * out[(i − aFrom)·(bTo − bFrom) + (j − bFrom)] = a_i · b_j for rows i of `a` in [aFrom, aTo) and j of `b` in
 * [bFrom, bTo). Two rows of `a` against four of `b` at a time, so that every number loaded is used several
 * times: this loop carries most of the analysis, and blocking it doubles its speed in V8.
 */
export function blockDots(
  a: Embeddings,
  aFrom: number,
  aTo: number,
  b: Embeddings,
  bFrom: number,
  bTo: number,
  out: Float64Array,
): void {
  const x = a.data;
  const y = b.data;
  const d = a.dims;
  const width = bTo - bFrom;
  let i = aFrom;
  for (; i < aTo; i += 2) {
    const pair = i + 1 < aTo;
    const r0 = i * d;
    const r1 = pair ? r0 + d : r0;
    const o0 = (i - aFrom) * width;
    const o1 = o0 + width;
    let j = bFrom;
    for (; j + 3 < bTo; j += 4) {
      const c0 = j * d;
      const c1 = c0 + d;
      const c2 = c1 + d;
      const c3 = c2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let k = 0; k < d; k++) {
        const u = x[r0 + k]!;
        const v = x[r1 + k]!;
        const w0 = y[c0 + k]!;
        const w1 = y[c1 + k]!;
        const w2 = y[c2 + k]!;
        const w3 = y[c3 + k]!;
        s0 += u * w0;
        s1 += u * w1;
        s2 += u * w2;
        s3 += u * w3;
        t0 += v * w0;
        t1 += v * w1;
        t2 += v * w2;
        t3 += v * w3;
      }
      const o = j - bFrom;
      out[o0 + o] = s0;
      out[o0 + o + 1] = s1;
      out[o0 + o + 2] = s2;
      out[o0 + o + 3] = s3;
      if (pair) {
        out[o1 + o] = t0;
        out[o1 + o + 1] = t1;
        out[o1 + o + 2] = t2;
        out[o1 + o + 3] = t3;
      }
    }
    for (; j < bTo; j++) {
      const c = j * d;
      let s = 0;
      let t = 0;
      for (let k = 0; k < d; k++) {
        s += x[r0 + k]! * y[c + k]!;
        t += x[r1 + k]! * y[c + k]!;
      }
      out[o0 + j - bFrom] = s;
      if (pair) out[o1 + j - bFrom] = t;
    }
  }
}
