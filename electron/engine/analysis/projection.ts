/**
 * 2D maps of embeddings: PCA over every row; UMAP and t-SNE over at most several thousand rows (a seeded
 * sample of larger sets), the rest placed among the fitted ones. A row left out of the fit goes to the mean
 * position of its nearest fitted rows, weighted by inverse distance, which is where UMAP's own transform starts
 * from; umap-js's transform itself took minutes for a few thousand rows, and t-SNE has none. Below a handful
 * of rows the nonlinear methods have no neighbourhoods to learn from and the map is PCA's.
 */
import { pickRows, rowCount, type Embeddings } from './embeddings.js';
import { nearestNeighboursAtScale, projectOntoAtScale } from './atScale.js';
import { pca, projectOnto } from './pca.js';
import { sampleIndices, seededRandom } from './random.js';
import { tsne } from './tsne.js';
import { umap } from './umap.js';

export const PROJECTION_METHODS = ['pca', 'umap', 'tsne'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

/**
 * The most rows each nonlinear method is fitted on: the largest samples whose map of 100,000 rows (fit and
 * placement) stays under 30 s on two cores. UMAP: 19 s at 10,000 on a fast pair of cores (15,000 took 31 s),
 * 35 s on a slower pair. t-SNE (Barnes–Hut, tsne.ts): 21.9 s at 3000 and 36 s at 5000 on the slower pair,
 * where the exact gradient it replaced took 56 s for 2500.
 */
export const FIT_LIMIT: Record<Exclude<ProjectionMethod, 'pca'>, number> = { umap: 10_000, tsne: 3000 };

/** Below this many rows UMAP and t-SNE have no neighbourhoods to work with: the map is PCA's. */
const NONLINEAR_MINIMUM = 8;

/** Fitted neighbours a left-out row is placed among, found among this many principal components. */
const PLACEMENT_NEIGHBOURS = 5;
const PLACEMENT_DIMENSIONS = 64;
/** Subspace steps for those components (the randomized range finder's few power iterations). */
const PLACEMENT_PCA_STEPS = 4;

export interface Projection {
  /** rows × 2, row-major (x, y). */
  coordinates: Float64Array;
  /** 1 for each row the method was fitted on, 0 for one placed afterwards. */
  fitted: Uint8Array;
  /** PCA: the share of the variance along each axis; null for the other methods. */
  explained: number[] | null;
}

/**
 * Places every row of `e` not in `sample` (whose rows are `sampleRows`) among the fitted rows; fills
 * `coordinates` for them. Neighbours are looked for among the leading principal components of the sample,
 * which keep most of the geometry at an eighth of the cost of the full embeddings. Every row is reduced and
 * searched, the fitted ones too, so the rows go to the native kernels as they lie in memory; the fitted rows'
 * answers are not used.
 */
async function placeRest(
  e: Embeddings,
  sample: Int32Array,
  sampleRows: Embeddings,
  fitted: Uint8Array,
  coordinates: Float64Array,
  seed: number,
): Promise<void> {
  if (sample.length === fitted.length) return;
  const axes = pca(sampleRows, PLACEMENT_DIMENSIONS, seed, PLACEMENT_PCA_STEPS);
  const reduced = { data: await projectOntoAtScale(e, axes), dims: axes.count };
  const { indices, distances, k } = await nearestNeighboursAtScale(
    reduced,
    pickRows(reduced, sample),
    PLACEMENT_NEIGHBOURS,
    'euclidean',
  );
  for (let row = 0; row < fitted.length; row++) {
    if (fitted[row]) continue;
    let x = 0;
    let y = 0;
    let total = 0;
    for (let t = row * k; t < (row + 1) * k; t++) {
      // Inverse-distance weights: a near-duplicate lands on its twin.
      const weight = 1 / Math.max(distances[t]!, 1e-9);
      const at = sample[indices[t]!]!;
      x += weight * coordinates[2 * at]!;
      y += weight * coordinates[2 * at + 1]!;
      total += weight;
    }
    coordinates[2 * row] = x / total;
    coordinates[2 * row + 1] = y / total;
  }
}

/**
 * Projects the rows of `e` to 2D with `method`; the same rows and seed always give the same map. UMAP and
 * t-SNE are fitted on at most `fitLimit` rows.
 */
export async function project(
  e: Embeddings,
  method: ProjectionMethod,
  seed: number,
  fitLimit = method === 'pca' ? Infinity : FIT_LIMIT[method],
): Promise<Projection> {
  const n = rowCount(e);
  const coordinates = new Float64Array(2 * n);
  const fitted = new Uint8Array(n).fill(1);
  if (n < 2) return { coordinates, fitted, explained: method === 'pca' ? [] : null };
  if (method === 'pca' || n < NONLINEAR_MINIMUM) {
    const fit = pca(e, 2, seed);
    const projected = projectOnto(e, fit);
    // With a single dimension there is one axis; the map then lies on y = 0.
    for (let i = 0; i < n; i++) {
      coordinates[2 * i] = projected[i * fit.count]!;
      coordinates[2 * i + 1] = fit.count > 1 ? projected[i * fit.count + 1]! : 0;
    }
    return { coordinates, fitted, explained: method === 'pca' ? fit.explained : null };
  }
  const sample = sampleIndices(n, fitLimit, seededRandom(seed));
  const sampleRows = pickRows(e, sample);
  const layout = method === 'umap' ? await umap(sampleRows, seed) : await tsne(sampleRows, { seed });
  fitted.fill(0);
  sample.forEach((row, i) => {
    fitted[row] = 1;
    coordinates[2 * row] = layout[2 * i]!;
    coordinates[2 * row + 1] = layout[2 * i + 1]!;
  });
  await placeRest(e, sample, sampleRows, fitted, coordinates, seed);
  return { coordinates, fitted, explained: null };
}
