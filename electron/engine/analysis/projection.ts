/**
 * 2D maps of embeddings: PCA over every row; UMAP and t-SNE over at most a few thousand rows (a seeded sample
 * of larger sets), the rest placed among the fitted ones. A row left out of the fit goes to the mean position
 * of its nearest fitted rows, weighted by inverse distance, which is where UMAP's own transform starts from;
 * umap-js's transform itself took minutes for a few thousand rows, and t-SNE has none. Below a handful of
 * rows the nonlinear methods have no neighbourhoods to learn from and the map is PCA's.
 */
import { pickRows, rowCount, type Embeddings } from './embeddings.js';
import { nearestNeighbours } from './neighbours.js';
import { pca, projectOnto } from './pca.js';
import { sampleIndices, seededRandom } from './random.js';
import { tsne } from './tsne.js';
import { umap } from './umap.js';

export const PROJECTION_METHODS = ['pca', 'umap', 'tsne'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

/** The most rows each nonlinear method is fitted on (they cost O(n²) or close to it). */
export const FIT_LIMIT: Record<Exclude<ProjectionMethod, 'pca'>, number> = { umap: 3000, tsne: 1500 };

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
 * Places every row of `e` not in `sample` among the fitted rows; fills `coordinates` for them. Neighbours are
 * looked for among the leading principal components of the sample, which keep most of the geometry at an
 * eighth of the cost of the full embeddings (100,000 rows against 3,000 in 512 dimensions would take a
 * minute).
 */
function placeRest(
  e: Embeddings,
  sample: Int32Array,
  fitted: Uint8Array,
  coordinates: Float64Array,
  seed: number,
): void {
  const rest = Int32Array.from(fitted.keys()).filter((i) => !fitted[i]);
  if (rest.length === 0) return;
  const base = pickRows(e, sample);
  const axes = pca(base, PLACEMENT_DIMENSIONS, seed, PLACEMENT_PCA_STEPS);
  const reduce = (rows: Embeddings) => ({
    data: Float32Array.from(projectOnto(rows, axes)),
    dims: axes.count,
  });
  const { indices, distances, k } = nearestNeighbours(
    reduce(pickRows(e, rest)),
    reduce(base),
    PLACEMENT_NEIGHBOURS,
    'euclidean',
  );
  rest.forEach((row, r) => {
    let x = 0;
    let y = 0;
    let total = 0;
    for (let t = 0; t < k; t++) {
      // Inverse-distance weights: a near-duplicate lands on its twin.
      const weight = 1 / Math.max(distances[r * k + t]!, 1e-9);
      const at = sample[indices[r * k + t]!]!;
      x += weight * coordinates[2 * at]!;
      y += weight * coordinates[2 * at + 1]!;
      total += weight;
    }
    coordinates[2 * row] = x / total;
    coordinates[2 * row + 1] = y / total;
  });
}

/**
 * Projects the rows of `e` to 2D with `method`; the same rows and seed always give the same map. UMAP and
 * t-SNE are fitted on at most `fitLimit` rows.
 */
export function project(
  e: Embeddings,
  method: ProjectionMethod,
  seed: number,
  fitLimit = method === 'pca' ? Infinity : FIT_LIMIT[method],
): Projection {
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
  const layout = method === 'umap' ? umap(pickRows(e, sample), seed) : tsne(pickRows(e, sample), { seed });
  fitted.fill(0);
  sample.forEach((row, i) => {
    fitted[row] = 1;
    coordinates[2 * row] = layout[2 * i]!;
    coordinates[2 * row + 1] = layout[2 * i + 1]!;
  });
  placeRest(e, sample, fitted, coordinates, seed);
  return { coordinates, fitted, explained: null };
}
