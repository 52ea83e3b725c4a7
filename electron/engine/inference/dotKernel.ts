/**
 * The loop that carries most of the analysis and the probe's training: the dot products of a block of rows with
 * a run of other rows. The rows of `y` are float64 because the centroids and axes of k-means and PCA, and the
 * probe's samples, are; those of `x` are the embeddings (float32) or the probe's weights and gradients (float64).
 * Taking both array types costs no measurable speed: 2000 × 64 products of 512 numbers ran in 64–70 ms with
 * float32 rows only and 61–80 ms with both, in one run of each on the same machine.
 */

/**
 * out[offset + (i − aFrom)·stride + (j − bFrom)] = x_i · y_j for rows i of `x` in [aFrom, aTo) and j of `y` in
 * [bFrom, bTo), rows of `d` numbers, row-major. Two rows of `x` against four of `y` at a time, so that every
 * number loaded is used several times: blocking doubles the speed of this loop in V8. Each product is summed in
 * order over the `d` numbers whatever the grouping, so the results do not depend on it.
 */
export function dotBlock(
  x: Float32Array | Float64Array,
  aFrom: number,
  aTo: number,
  y: Float64Array,
  bFrom: number,
  bTo: number,
  d: number,
  out: Float64Array,
  offset: number,
  stride: number,
): void {
  for (let i = aFrom; i < aTo; i += 2) {
    const pair = i + 1 < aTo;
    const r0 = i * d;
    const r1 = pair ? r0 + d : r0;
    const o0 = offset + (i - aFrom) * stride - bFrom;
    const o1 = o0 + stride;
    for (let j = bFrom; j < bTo; j += 4) {
      // A short last group repeats its last row; the products beyond `bTo` are not stored.
      const m = Math.min(4, bTo - j);
      const c0 = j * d;
      const c1 = (j + Math.min(1, m - 1)) * d;
      const c2 = (j + Math.min(2, m - 1)) * d;
      const c3 = (j + Math.min(3, m - 1)) * d;
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
      out[o0 + j] = s0;
      if (m > 1) out[o0 + j + 1] = s1;
      if (m > 2) out[o0 + j + 2] = s2;
      if (m > 3) out[o0 + j + 3] = s3;
      if (pair) {
        out[o1 + j] = t0;
        if (m > 1) out[o1 + j + 1] = t1;
        if (m > 2) out[o1 + j + 2] = t2;
        if (m > 3) out[o1 + j + 3] = t3;
      }
    }
  }
}
