/**
 * Figures for the analysis jobs on CLIP-sized embeddings (512 dimensions): PCA and k-means over 100,000 rows,
 * the nonlinear maps at the sizes they are fitted on and over all 100,000 rows, the pairwise methods at a few
 * thousand rows, and one job through the analysis process (the transfer included). `npm run bench` prints them;
 * `tsx test/bench/analysis.ts` prints them alone.
 */
import { pathToFileURL } from 'node:url';
import { cluster, kDistance } from '../../electron/engine/analysis/clustering.js';
import { pickRows, type Embeddings } from '../../electron/engine/analysis/embeddings.js';
import { JobProcess } from '../../electron/engine/jobs/jobProcess.js';
import { kmeans } from '../../electron/engine/analysis/kmeans.js';
import { pca } from '../../electron/engine/analysis/pca.js';
import { FIT_LIMIT, project } from '../../electron/engine/analysis/projection.js';
import { gaussian, sampleIndices, seededRandom } from '../../electron/engine/analysis/random.js';
import { silhouette } from '../../electron/engine/analysis/silhouette.js';

const DIMS = 512;
const ROWS = 100_000;
/** Rows for the pairwise methods (DBSCAN, agglomerative). */
const PAIRWISE_ROWS = 5000;

/**
 * Embedding-like rows: 40 themes (random centres) with noise, normalised, so that rows of one theme have a
 * cosine of about 0.5 to 0.7 as CLIP embeddings of one kind of photo do. Theme strengths fall off as 1/√(1 +
 * j), so the variance spreads over the axes gradually, as in real embeddings, rather than evenly over exactly
 * 40 of them.
 */
function embeddingLike(rows: number, seed: number): Embeddings {
  const normal = gaussian(seededRandom(seed));
  const centres = Array.from({ length: 40 }, (_, j) =>
    Float32Array.from({ length: DIMS }, () => (1.4 * normal()) / Math.sqrt(DIMS * (1 + j))),
  );
  const data = new Float32Array(rows * DIMS);
  for (let r = 0; r < rows; r++) {
    const centre = centres[r % centres.length]!;
    let norm = 0;
    for (let t = 0; t < DIMS; t++) {
      const value = centre[t]! + (0.8 * normal()) / Math.sqrt(DIMS);
      data[r * DIMS + t] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    for (let t = 0; t < DIMS; t++) data[r * DIMS + t]! /= norm;
  }
  return { data, dims: DIMS };
}

const seconds = (started: number) => (performance.now() - started) / 1000;
const fmt = (x: number, digits = 2) => x.toFixed(digits);

/** Runs the analysis figures, reporting each through `row`. */
export async function benchAnalysis(row: (name: string, value: string) => void): Promise<void> {
  const all = embeddingLike(ROWS, 1);
  const label = `${ROWS.toLocaleString('en')} × ${DIMS}`;

  let started = performance.now();
  const fit = pca(all, 2, 0);
  row(`analysis: PCA, ${label}`, `${fmt(seconds(started))} s (${fit.iterations} passes, target ≤ 2 s)`);

  started = performance.now();
  const groups = kmeans(all, 10, { seed: 0 });
  row(
    `analysis: k-means k = 10, ${label}`,
    `${fmt(seconds(started))} s (${groups.iterations} iterations, target ≤ 5 s)`,
  );
  started = performance.now();
  silhouette(all, groups.labels);
  row(`analysis: silhouette k = 10, ${label}`, `${fmt(seconds(started))} s`);

  const jobs = new JobProcess();
  try {
    started = performance.now();
    await jobs.run('kDistance', { embeddings: pickRows(all, [0, 1, 2]), minPts: 1 });
    row('analysis: start of the analysis process', `${fmt(seconds(started))} s`);
    started = performance.now();
    await jobs.run('project', { embeddings: all, method: 'pca', seed: 0 });
    row(
      `analysis: PCA map through the analysis process (data sent included), ${label}`,
      `${fmt(seconds(started))} s`,
    );
  } finally {
    await jobs.close();
  }

  const random = seededRandom(2);
  for (const method of ['umap', 'tsne'] as const) {
    const size = FIT_LIMIT[method];
    const sample = pickRows(all, sampleIndices(ROWS, size, random));
    started = performance.now();
    await project(sample, method, 0);
    row(
      `analysis: ${method === 'umap' ? 'UMAP' : 't-SNE'} fit, ${size.toLocaleString('en')} × ${DIMS}`,
      `${fmt(seconds(started), 1)} s`,
    );
  }
  // The whole library's map, as `map.points` makes it: fitted on the sample, the rest placed among it.
  for (const method of ['umap', 'tsne'] as const) {
    started = performance.now();
    const { fitted } = await project(all, method, 0);
    const count = fitted.reduce((sum, one) => sum + one, 0).toLocaleString('en');
    row(
      `analysis: ${method === 'umap' ? 'UMAP' : 't-SNE'} map of ${label} (${count} fitted, the rest placed)`,
      `${fmt(seconds(started), 1)} s (target ≤ 30 s)`,
    );
  }

  const pairwise = pickRows(all, sampleIndices(ROWS, PAIRWISE_ROWS, random));
  const small = `${PAIRWISE_ROWS.toLocaleString('en')} × ${DIMS}`;
  started = performance.now();
  const { suggestedEps } = kDistance({ embeddings: pairwise, minPts: 5 });
  row(`analysis: k-distance curve, ${small}`, `${fmt(seconds(started))} s`);
  started = performance.now();
  cluster({ embeddings: pairwise, method: 'dbscan', eps: suggestedEps, minPts: 5 });
  row(`analysis: DBSCAN, ${small}`, `${fmt(seconds(started))} s`);
  started = performance.now();
  cluster({ embeddings: pairwise, method: 'agglomerative', k: 10, linkage: 'ward' });
  row(`analysis: agglomerative (ward), ${small}`, `${fmt(seconds(started))} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchAnalysis((name, value) => console.log(`${name}: ${value}`));
}
