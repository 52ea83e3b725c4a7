/**
 * Embeddings as one block of memory: what the analysis jobs take, and what crosses to their process cheaply.
 */
import { dotBlock } from '../inference/dotKernel.js';

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
 * `dotBlock` takes float64 rows: the rows of `b` are widened this many at a time, into one buffer kept between
 * calls, and stay in cache while the rows of `a` pass over them.
 */
const WIDEN_ROWS = 256;
let widened = new Float64Array(0);

/**
 * out[(i − aFrom)·(bTo − bFrom) + (j − bFrom)] = a_i · b_j for rows i of `a` in [aFrom, aTo) and j of `b` in
 * [bFrom, bTo).
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
  const d = a.dims;
  if (widened.length < WIDEN_ROWS * d) widened = new Float64Array(WIDEN_ROWS * d);
  for (let start = bFrom; start < bTo; start += WIDEN_ROWS) {
    const end = Math.min(bTo, start + WIDEN_ROWS);
    widened.set(b.data.subarray(start * d, end * d));
    dotBlock(a.data, aFrom, aTo, widened, 0, end - start, d, out, start - bFrom, bTo - bFrom);
  }
}
