/**
 * Analysis: the 2D map of the library's embeddings, grouping them into clusters, and filing the images a person
 * chose there into a class.
 */
import { z } from 'zod';
import { MAP_POINT_BYTES } from './mapPoints.js';
import { className, command, libraryPath, nullableScore } from './schemas.js';

/** 2D projections of the library's embeddings. */
export const PROJECTIONS = ['pca', 'umap', 'tsne'] as const;
/** Ways of grouping the library's embeddings. */
export const CLUSTERINGS = ['kmeans', 'dbscan', 'agglomerative'] as const;
/** How agglomerative clustering measures the distance between two groups (on cosine distance). */
export const LINKAGES = ['ward', 'average', 'complete'] as const;

const seed = z
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** The sha256 that names a list of file names (see `map.points`). */
const filesKey = z.string().regex(/^[0-9a-f]{64}$/);

/** Library-relative image paths chosen by a person (a map selection, a cluster). */
const fileSelection = z.array(libraryPath).min(1).max(20_000);

/** Whether a move may take reference images out of `Classes/` (which leaves their class with fewer). */
const references = z.boolean().optional();

/** Moves or copies made for a person, and the files that were left where they were, with why. */
const fileOutcome = z.object({
  done: z.array(z.object({ from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});

export const analysisCommands = {
  'map.points': command(
    'the 2D projection of every embedded image (inbox, references, sorted), with its folder class and ' +
      'prediction, as 16-byte records (mapPoints.ts); the file names come only when they are not the set ' +
      '`filesKey` names',
    z.strictObject({
      method: z.enum(PROJECTIONS).optional(),
      seed: seed.optional(),
      /** The key of the file names the caller holds from an earlier answer. */
      filesKey: filesKey.optional(),
    }),
    z.object({
      method: z.enum(PROJECTIONS),
      seed: z.number(),
      /** Embedded images in the library. */
      total: z.number(),
      /** Images the projection was fitted on; below `total` when UMAP or t-SNE subsampled a large library. */
      fitted: z.number(),
      /** Whether the projection came from the cache (it is kept until the library's embeddings change). */
      cached: z.boolean(),
      /** PCA: the share of variance each axis explains; null for the other methods. */
      explained: z.array(z.number()).nullable(),
      /** `MAP_POINT_BYTES` per image, in the order of the file names. */
      points: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength % MAP_POINT_BYTES === 0),
      classes: z.array(z.string()),
      scores: z.tuple([z.number(), z.number()]).nullable(),
      margins: z.tuple([z.number(), z.number()]).nullable(),
      /** The sha256 of the file names, in order. */
      filesKey,
      /** Library-relative paths, one per point; null when the input's `filesKey` is this answer's. */
      files: z.array(z.string()).nullable(),
    }),
  ),
  'clusters.run': command(
    "group the library's images: k-means (k), DBSCAN (eps, minPts) or agglomerative (k, linkage), on cosine distance",
    z.strictObject({
      method: z.enum(CLUSTERINGS),
      k: z.int().min(2).max(100).optional(),
      eps: z.number().gt(0).max(2).optional(),
      minPts: z.int().min(1).max(1000).optional(),
      linkage: z.enum(LINKAGES).optional(),
      seed: seed.optional(),
    }),
    z.object({
      method: z.enum(CLUSTERINGS),
      /** Clusters, largest first; ids are the order here. */
      clusters: z.array(z.object({ id: z.number(), files: z.array(z.string()) })),
      /** DBSCAN's noise points (in no cluster). */
      noise: z.array(z.string()),
      /** Mean silhouette on cosine distance (null when fewer than two clusters). */
      silhouette: nullableScore,
    }),
  ),
  'clusters.elbow': command(
    'k-means inertia and mean silhouette for each k, to choose k',
    z.strictObject({
      kMin: z.int().min(2).max(100).optional(),
      kMax: z.int().min(2).max(100).optional(),
      seed: seed.optional(),
    }),
    z.object({
      points: z.array(z.object({ k: z.number(), inertia: z.number(), silhouette: nullableScore })),
    }),
  ),
  'clusters.kDistance': command(
    "each image's distance to its minPts-th neighbour, sorted, and the eps the curve's knee suggests for DBSCAN",
    z.strictObject({ minPts: z.int().min(1).max(1000).optional() }),
    z.object({ minPts: z.number(), distances: z.array(z.number()), suggestedEps: z.number() }),
  ),
  'classes.fromFiles': command(
    'make a class from chosen images: copies them into Classes/<name>/ as references (moves them with move: ' +
      'true; reference images of other classes move only with references: true, and are skipped otherwise)',
    z.strictObject({ name: className, files: fileSelection, move: z.boolean().optional(), references }),
    fileOutcome.extend({
      name: z.string(),
      folder: z.string(),
      created: z.boolean(),
      /** With move: true, the batch of the moves (for `moves.undo`), or null when nothing moved. */
      batch: z.string().nullable(),
    }),
  ),
  'files.move': command(
    'move chosen images into Dataset/<class>/ in one undoable batch; reference images (Classes/…) move only ' +
      'with references: true, and are skipped otherwise',
    z.strictObject({
      files: fileSelection,
      class: className,
      references,
      /** Where the person chose them, for the history to say: the map (default) or a search. */
      via: z.enum(['map', 'search']).optional(),
    }),
    fileOutcome.extend({ batch: z.string().nullable() }),
  ),
} as const;
