/**
 * Nearest neighbours and PCA coordinates at library scale, through onnxruntime's matrix multiply and top-k
 * (scoreGraph.ts): placing 97,000 rows among 3,000 fitted ones took 17 s in JavaScript (7.5 s to reduce the
 * rows to 64 components, 9.3 s to search) and now takes under a second (that UMAP map went from 28.1 s to
 * 8.3 s). The answers are those of neighbours.ts and pca.ts up to float32 rounding: the kept neighbours are
 * measured and ordered exactly, but where the k-th and the next differ by less than about 1e-6, the other may
 * be kept. atScale.ts picks between the two.
 */
import { rowCount, type Embeddings } from './embeddings.js';
import { squaredNorms, type Neighbours } from './neighbours.js';
import { meanCoordinates, type Pca } from './pca.js';
import { scoreGraph } from './scoreGraph.js';
import { sharedSession } from '../inference/memoryGraph.js';
import { Tensor } from '../inference/onnxRuntime.js';

/** Products held at once: 32 MB of float32, enough to keep the multiply at full speed. */
const BLOCK_PRODUCTS = 2 ** 23;

const neighbourSession = sharedSession(() => scoreGraph({ topK: true }));
const projectionSession = sharedSession(() => scoreGraph({ topK: false }));

const rowsTensor = (e: Embeddings, from: number, to: number) =>
  new Tensor('float32', e.data.subarray(from * e.dims, to * e.dims), [to - from, e.dims]);

/** The distance between row `i` of `a` and row `j` of `b`, in float64, as neighbours.ts measures it. */
function exactDistance(a: Embeddings, i: number, b: Embeddings, j: number, euclidean: boolean): number {
  let s = 0;
  for (let x = i * a.dims, y = j * b.dims, end = x + a.dims; x < end; x++, y++) {
    s += euclidean ? (a.data[x]! - b.data[y]!) ** 2 : a.data[x]! * b.data[y]!;
  }
  return euclidean ? Math.sqrt(s) : Math.max(0, 1 - s);
}

/**
 * `nearestNeighbours` through the top-k graph: Euclidean neighbours rank by a·b − ‖b‖²/2, cosine ones by a·b.
 * The distances of the k kept are then measured again in float64 and the k put in that order: a float32
 * ‖a‖² − 2·score loses the small distances to cancellation (1e-4 for a twin), which would blunt the
 * inverse-distance weights the map places rows with.
 */
export async function nearestNeighboursOnnx(
  queries: Embeddings,
  base: Embeddings,
  k: number,
  metric: 'cosine' | 'euclidean' = 'cosine',
): Promise<Neighbours> {
  const q = rowCount(queries);
  const m = rowCount(base);
  const kept = Math.min(k, m);
  const indices = new Int32Array(q * kept);
  const distances = new Float64Array(q * kept);
  if (q === 0 || kept === 0) return { indices, distances, k: kept };
  const euclidean = metric === 'euclidean';
  const offsets = euclidean ? Float32Array.from(squaredNorms(base), (s) => s / 2) : new Float32Array(m);
  const run = await neighbourSession();
  const fixed = {
    b: rowsTensor(base, 0, m),
    offsets: new Tensor('float32', offsets, [m]),
    k: new Tensor('int64', BigInt64Array.of(BigInt(kept)), [1]),
  };
  const blockRows = Math.max(1, Math.floor(BLOCK_PRODUCTS / m));
  for (let from = 0; from < q; from += blockRows) {
    const to = Math.min(q, from + blockRows);
    const found = (await run.run({ a: rowsTensor(queries, from, to), ...fixed })).indices!
      .data as BigInt64Array;
    for (let i = from; i < to; i++) {
      const row = i * kept;
      for (let t = 0; t < kept; t++) {
        // Insertion by (distance, index): the order of neighbours.ts.
        const j = Number(found[(i - from) * kept + t]!);
        const distance = exactDistance(queries, i, base, j, euclidean);
        let at = row + t;
        while (
          at > row &&
          (distances[at - 1]! > distance || (distances[at - 1] === distance && indices[at - 1]! > j))
        ) {
          distances[at] = distances[at - 1]!;
          indices[at] = indices[at - 1]!;
          at--;
        }
        distances[at] = distance;
        indices[at] = j;
      }
      if (queries === base) putSelfFirst(indices, distances, i, kept);
    }
  }
  return { indices, distances, k: kept };
}

/**
 * Row `i`'s own entry first, at distance 0, as neighbours.ts gives it when the queries are the base: an
 * exact copy of the row with a lower index would otherwise come first, or push it out of the top k.
 */
function putSelfFirst(indices: Int32Array, distances: Float64Array, i: number, k: number): void {
  const row = i * k;
  let at = indices.subarray(row, row + k).indexOf(i);
  if (at < 0) at = k - 1;
  indices.copyWithin(row + 1, row, row + at);
  distances.copyWithin(row + 1, row, row + at);
  indices[row] = i;
  distances[row] = 0;
}

/** `projectOnto` through the score graph: the axes as rows, the mean's coordinates as offsets. */
export async function projectOntoOnnx(e: Embeddings, fit: Pca): Promise<Float32Array> {
  const n = rowCount(e);
  const { count, dims } = fit;
  const out = new Float32Array(n * count);
  if (n === 0 || count === 0) return out;
  const run = await projectionSession();
  const fixed = {
    b: new Tensor('float32', Float32Array.from(fit.components), [count, dims]),
    offsets: new Tensor('float32', Float32Array.from(meanCoordinates(fit)), [count]),
  };
  const blockRows = Math.max(1, Math.floor(BLOCK_PRODUCTS / count));
  for (let from = 0; from < n; from += blockRows) {
    const to = Math.min(n, from + blockRows);
    const { scores } = await run.run({ a: rowsTensor(e, from, to), ...fixed });
    out.set(scores!.data as Float32Array, from * count);
  }
  return out;
}
