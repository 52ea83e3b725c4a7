/**
 * The map and cluster commands. The library's embedded images (inbox, references, sorted) come from its
 * index; projections, rankings and clusterings run in the analysis process, off the engine's event loop, and
 * come back as library paths. A projection is kept until the library's embeddings change: it is keyed on the
 * model, the method, the seed and the set of embedded contents (sha256), so moving or copying images keeps
 * it, and a new or changed image makes a new one. Points with the same content share a position.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_K, DEFAULT_MIN_PTS, DEFAULT_K_RANGE } from '../../engine/analysis/clustering.js';
import {
  embeddedImages,
  type EmbeddedImage,
  type EmbeddedLibrary,
} from '../../engine/analysis/embeddedImages.js';
import { packEmbeddings, type Embeddings } from '../../engine/analysis/embeddings.js';
import { runJob } from '../../engine/jobs/jobProcess.js';
import { packMapPoints } from '../contract/mapPoints.js';
import type { ProjectionMethod } from '../../engine/analysis/projection.js';
import type { PackedClass } from '../../engine/analysis/ranking.js';
import { ClipSortError } from '../../engine/errors.js';
import type { Mode } from '../../engine/classify/scores.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import type { LibrarySession } from '../state/librarySession.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** The seed a face gets when it names none. */
const DEFAULT_SEED = 42;
/** Projections kept per library (a few methods and seeds). */
const CACHED_PROJECTIONS = 6;

interface CachedProjection {
  /** By content: x, y. */
  at: Map<string, [number, number]>;
  /** Contents the method was fitted on (the others were placed among them). */
  fitted: Set<string>;
  explained: number[] | null;
}

/** Each library's projections, most recently used last; forgotten with the library. */
const projections = new WeakMap<LibrarySession, Map<string, Promise<CachedProjection>>>();

/** What of the context the map and cluster commands use. */
type AnalysisContext = Pick<HandlerContext, 'library' | 'model'>;

/** The open library's embedded images under the current model. */
async function libraryImages(context: AnalysisContext): Promise<EmbeddedLibrary & { model: ClipModel }> {
  const library = context.library();
  const model = await context.model.get();
  return { ...(await embeddedImages(library.root, library.index, model.key)), model };
}

/** The projection of these images, from the cache when their contents have not changed. */
async function projectionOf(
  library: LibrarySession,
  modelKey: string,
  images: readonly EmbeddedImage[],
  method: ProjectionMethod,
  seed: number,
): Promise<{ projection: CachedProjection; cached: boolean }> {
  const contents = new Map(images.map((image) => [image.sha256, image.vector]));
  const shas = [...contents.keys()].sort();
  const key = createHash('sha256')
    .update([modelKey, method, String(seed), ...shas].join('\n'))
    .digest('hex');
  const cache = projections.get(library) ?? new Map<string, Promise<CachedProjection>>();
  projections.set(library, cache);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { projection: await hit, cached: true };
  }
  const computing = runJob('project', {
    embeddings: packEmbeddings(shas.map((sha) => contents.get(sha)!)),
    method,
    seed,
  }).then(({ coordinates, fitted, explained }) => ({
    at: new Map(
      shas.map((sha, i): [string, [number, number]] => [sha, [coordinates[2 * i]!, coordinates[2 * i + 1]!]]),
    ),
    fitted: new Set(shas.filter((_, i) => fitted[i] === 1)),
    explained,
  }));
  cache.set(key, computing);
  computing.catch(() => cache.delete(key));
  while (cache.size > CACHED_PROJECTIONS) cache.delete(cache.keys().next().value!);
  return { projection: await computing, cached: false };
}

/**
 * The classes as the sorter's classifier sees them: each class's embedded references, and its prompt
 * embedding where the mode needs it (as `classifyLibrary` decides).
 */
async function classesForRanking(
  { images, classes, model }: EmbeddedLibrary & { model: ClipModel },
  mode: Mode,
  language: string,
): Promise<PackedClass[]> {
  if (classes.length === 0) return [];
  const references = new Map<string, Float32Array[]>();
  for (const image of images) {
    if (image.kind !== 'reference' || image.class === null) continue;
    references.set(image.class, [...(references.get(image.class) ?? []), image.vector]);
  }
  const dims = images[0]?.vector.length ?? 0;
  const usesPrompts = mode !== 'avg' && mode !== 'max';
  const needsText = usesPrompts || classes.some((c) => !references.has(c.name));
  const texts = needsText
    ? await model.embedPromptSets(
        classes.map((c) => c.prompts),
        language,
      )
    : [];
  return classes.map((c, i) => ({
    name: c.name,
    references: packEmbeddings(references.get(c.name) ?? [], dims),
    text: texts[i] ?? null,
  }));
}

/**
 * Files grouped by label, largest group first (ties: the group whose first file sorts first); −1 is noise.
 */
function groupsOf(images: readonly EmbeddedImage[], labels: Int32Array) {
  const byLabel = new Map<number, string[]>();
  const noise: string[] = [];
  images.forEach((image, i) => {
    const label = labels[i]!;
    if (label < 0) return noise.push(image.file);
    byLabel.set(label, [...(byLabel.get(label) ?? []), image.file]);
  });
  const clusters = [...byLabel.values()]
    .sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1))
    .map((files, id) => ({ id, files }));
  return { clusters, noise };
}

/** Names a list of file names: NUL cannot occur in a path, so the joined list is unambiguous. */
const keyOfFiles = (files: readonly string[]) => createHash('sha256').update(files.join('\0')).digest('hex');

const embeddingsOf = (images: readonly EmbeddedImage[]): Embeddings =>
  packEmbeddings(images.map((image) => image.vector));

export const analysisHandlers: HandlersFor<
  'map.points' | 'clusters.run' | 'clusters.elbow' | 'clusters.kDistance',
  AnalysisContext
> = {
  async 'map.points'({ method = 'pca', seed = DEFAULT_SEED, filesKey: known }, context) {
    const library = context.library();
    const embedded = await libraryImages(context);
    const { images } = embedded;
    const [{ projection, cached }, packed] = await Promise.all([
      projectionOf(library, embedded.model.key, images, method, seed),
      classesForRanking(embedded, library.settings.mode, library.classLanguage),
    ]);
    const ranks = await runJob('rank', {
      embeddings: embeddingsOf(images),
      classes: packed,
      mode: library.settings.mode,
      scoring: embedded.model.scoring,
    });
    const points = packMapPoints(
      images.map((image, i) => {
        const [x, y] = projection.at.get(image.sha256)!;
        const best = ranks.best[i]!;
        return {
          kind: image.kind,
          class: image.class,
          predicted: best >= 0 ? packed[best]!.name : null,
          score: best >= 0 ? ranks.score[i]! : null,
          margin: best >= 0 ? ranks.margin[i]! : null,
          x,
          y,
        };
      }),
    );
    const files = images.map((image) => image.file);
    const filesKey = keyOfFiles(files);
    return {
      method,
      seed,
      total: images.length,
      fitted: images.filter((image) => projection.fitted.has(image.sha256)).length,
      cached,
      explained: projection.explained,
      ...points,
      filesKey,
      // The names change only when images come, go or move; the page keeps them between projections.
      files: known === filesKey ? null : files,
    };
  },

  async 'clusters.run'(
    { method, k = DEFAULT_K, eps, minPts = DEFAULT_MIN_PTS, linkage, seed = DEFAULT_SEED },
    context,
  ) {
    const { images } = await libraryImages(context);
    const { labels, silhouette } = await runJob('cluster', {
      embeddings: embeddingsOf(images),
      method,
      k,
      eps,
      minPts,
      linkage,
      seed,
    });
    return { method, ...groupsOf(images, labels), silhouette };
  },

  async 'clusters.elbow'(
    { kMin = DEFAULT_K_RANGE.kMin, kMax = DEFAULT_K_RANGE.kMax, seed = DEFAULT_SEED },
    context,
  ) {
    if (kMin > kMax) {
      throw new ClipSortError('invalid-range', `kMin (${kMin}) is larger than kMax (${kMax}).`);
    }
    const { images } = await libraryImages(context);
    return { points: await runJob('elbow', { embeddings: embeddingsOf(images), kMin, kMax, seed }) };
  },

  async 'clusters.kDistance'({ minPts = DEFAULT_MIN_PTS }, context) {
    const { images } = await libraryImages(context);
    const { distances, suggestedEps } = await runJob('kDistance', {
      embeddings: embeddingsOf(images),
      minPts,
    });
    return { minPts, distances: Array.from(distances), suggestedEps };
  },
};
