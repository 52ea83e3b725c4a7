/**
 * Evaluation and search: captions against their images, the modes against the references, text search,
 * duplicates; and embedding every image of the open folder ahead of them (`clipsort embed`).
 */
import { z } from 'zod';
import { MODES } from '../../engine/choices.js';

export { DEFAULT_DUPLICATE_THRESHOLD, DEFAULT_SEARCH_LIMIT } from '../../engine/choices.js';
import { command, libraryPath, MAX_NAME, modelId, none, nullableScore, score } from './schemas.js';

/**
 * The longest captions file a face may send, in characters. Sent as JSON, it must fit the server's 1 MiB message
 * limit with room for escaping; a thousand captions (the most `eval.captions` compares) take far less.
 */
export const MAX_CAPTIONS_CHARS = 768 * 1024;

/** Results are bounded by the library anyway: the most only refuses nonsense, it never cuts a real list. */
export const MAX_SEARCH_LIMIT = 1_000_000;

/** Most images per inference call `images.embed` takes: more only costs memory. */
export const MAX_EMBED_BATCH = 1024;

/** A square similarity matrix over labelled items, grouped by category. */
const groupedMatrix = z.object({
  labels: z.array(z.string()),
  categories: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});

/** An image that could not be embedded (unreadable, not an image, unsupported), with why for people. */
const imageError = z.object({ file: z.string(), error: z.string() });

/**
 * The decision rule of one mode calibrated on the labelled photos (the references, and the images people filed,
 * corrected or took back, each scored without itself): it files the most while at most `maxError` of the filed
 * images are in the wrong class, a bound that holds with probability 1 − `delta`; coverage and errors are
 * fractions. `rule` null: too few labelled images to promise it.
 */
const calibration = z.object({
  mode: z.enum(MODES),
  maxError: z.number(),
  delta: z.number(),
  rule: z.object({ threshold: z.number(), margin: z.number() }).nullable(),
  /** What the rule cuts on: the best class's score (probability modes), or its lead (cosine modes). */
  on: z.enum(['score', 'margin']),
  expectedCoverage: z.number(),
  expectedError: z.number(),
  observedError: z.number(),
  labelled: z.number(),
  /** The fewest labelled photos that could support any rule at `maxError`, were they all right. */
  fewest: z.number(),
  perClass: z.record(z.string(), z.object({ labelled: z.number(), coverage: z.number(), error: z.number() })),
});

/**
 * People's corrections: per class, images moved into it away from sorting's suggestion and automatic moves into
 * it undone; and which suggested class was corrected to which, most frequent first.
 */
const corrections = z.object({
  perClass: z.record(z.string(), z.object({ corrected: z.number(), undone: z.number() })),
  confusions: z.array(z.object({ suggested: z.string(), chosen: z.string(), count: z.number() })),
});

export const evaluationCommands = {
  'eval.captions': command(
    'how well images match their captions: a captions file (CSV filename,category,caption or JSON) against images ' +
      'in a library folder, with the model in use or, to compare, the image tower of the installed model ' +
      '`imageModel` and the text tower of `textModel` (each the model in use unless given)',
    z.strictObject({
      /** The captions file's text. */
      captions: z.string().min(1).max(MAX_CAPTIONS_CHARS),
      /** The file's name, to tell CSV from JSON by its extension (otherwise by its content). */
      name: z.string().max(MAX_NAME).optional(),
      /**
       * Where the images are, by file name directly inside or in `<category>/` subfolders; default `Dataset`. `.`
       * is the open folder itself (a folder of images opened as one, as `clipsort eval --captions` does).
       */
      folder: libraryPath.optional(),
      imageModel: modelId.optional(),
      textModel: modelId.optional(),
    }),
    z.object({
      /** The encoders scored: the model each tower came from (an installed model's id, or its folder's name). */
      encoders: z.object({ image: z.string(), text: z.string() }),
      /** Library-relative paths of the images found, one per caption row, in the file's order. */
      images: z.array(z.string()),
      captions: z.array(z.string()),
      categories: z.array(z.string()),
      /** Cosine similarity, images × captions. */
      matrix: z.array(z.array(z.number())),
      /** Shares (0–1) of images whose own caption ranks first / in the first five, and of captions whose image ranks first. */
      top1: z.number(),
      top5: z.number(),
      captionTop1: z.number(),
      captionTop5: z.number(),
      /** Mean similarity of matching pairs and of all other pairs. */
      diagonal: z.number(),
      offDiagonal: z.number(),
      /** Per row: where image i's own caption ranks among the captions, and caption i's image among the images (1 = first). */
      imageRanks: z.array(z.number()),
      captionRanks: z.array(z.number()),
      /** Rows of the file whose image was not found, or could not be read, with why. */
      missing: z.array(z.object({ file: z.string(), reason: z.string() })),
      /** Image × image and caption × caption similarity, rows grouped by category. */
      imageMatrix: groupedMatrix,
      textMatrix: groupedMatrix,
    }),
  ),
  'eval.classes': command(
    'leave-one-out accuracy of every mode over the reference images, a confusion matrix per mode, the mode to use ' +
      '(the one that files the most within the target), the decision rule calibrated on the references and on ' +
      "people's decisions (review, assign, undo) to file at most `maxError` of images in the wrong class (0.02 " +
      "unless given: the library's), and what the corrections say about the classes",
    z.strictObject({ maxError: z.number().gt(0).lt(1).optional() }),
    z.object({
      classes: z.array(z.string()),
      references: z.number(),
      /** How many parts the references were split into: `references` itself means leave-one-out. */
      folds: z.number(),
      /** Accuracy (0–1) per mode; null with nothing to tell apart (under two classes, or no references). */
      modes: z.record(z.enum(MODES), nullableScore),
      recommended: z.enum(MODES).nullable(),
      /** Per mode: rows are the true class, columns the predicted one, in `classes` order. */
      confusion: z.record(z.enum(MODES), z.array(z.array(z.number()))),
      /** Classes with a single reference: while it is left out, the class is scored by its prompt. */
      single: z.array(z.string()),
      /** The calibrated rule of the library's mode; null with nothing to tell apart. */
      calibration: calibration.nullable(),
      /**
       * Per mode, the risk–coverage curve of the references (the share filed and the share of those wrong, for
       * each cut on the score, loosest last) and the point the calibrated rule picks (null: none); empty with
       * nothing to tell apart.
       */
      curves: z.record(
        z.enum(MODES),
        z.object({
          points: z.array(z.object({ coverage: z.number(), error: z.number() })),
          chosen: z.object({ coverage: z.number(), error: z.number() }).nullable(),
        }),
      ),
      corrections,
      /** Reference images left out because they could not be embedded. */
      errors: z.array(imageError),
    }),
  ),
  'eval.promise': command(
    "what the library's decisions promise, as sorting decides them: the rule of its mode calibrated to its error " +
      'share on the labelled photos (as `eval.classes` calibrates it, for that mode alone), how images are ' +
      'decided while it promises nothing, and what the corrections say about the classes',
    none,
    z.object({
      decideBy: z.enum(['error', 'threshold']),
      untilCalibrated: z.enum(['threshold', 'review']),
      /** Null with nothing to tell apart (under two classes, or no labelled photo). */
      calibration: calibration.nullable(),
      corrections,
      /** Reference images left out because they could not be embedded. */
      errors: z.array(imageError),
    }),
  ),
  'search.text': command(
    'the images closest to a text ("dog on a beach"), best first, down to a relevance cut (all: true lists them all)',
    z.strictObject({
      text: z.string().trim().min(1).max(1000),
      /** How many images to list; `DEFAULT_SEARCH_LIMIT` if left out. */
      limit: z.int().min(1).max(MAX_SEARCH_LIMIT).optional(),
      /** List every one of the `limit` images, the barely related too, not only those the relevance cut keeps. */
      all: z.boolean().optional(),
    }),
    z.object({
      results: z.array(z.object({ file: z.string(), score })),
      /** Images of the `limit` the relevance cut left out (0 with `all`): `all` lists them too. */
      cut: z.number(),
      /** Images left out of the search because they could not be embedded. */
      errors: z.array(imageError),
    }),
  ),
  'search.similar': command(
    'the images most like one image of the library (by their embeddings), best first, itself left out, down to ' +
      'a relevance cut (all: true lists them all)',
    z.strictObject({
      /** The image to match: in Images/, Classes/ or Dataset/. */
      file: libraryPath,
      limit: z.int().min(1).max(MAX_SEARCH_LIMIT).optional(),
      all: z.boolean().optional(),
    }),
    z.object({
      file: z.string(),
      results: z.array(z.object({ file: z.string(), score })),
      cut: z.number(),
      errors: z.array(imageError),
    }),
  ),
  'search.duplicates': command(
    'groups of images whose embeddings are at least `threshold` cosine-similar (near-duplicates)',
    z.strictObject({
      /** `DEFAULT_DUPLICATE_THRESHOLD` if left out. */
      threshold: z.number().min(0.5).max(1).optional(),
    }),
    z.object({
      /** The threshold used (the default, if none was given). */
      threshold: z.number(),
      /** How many images were compared: those with an embedding. */
      images: z.number(),
      groups: z.array(z.object({ files: z.array(z.string()), similarity: score })),
      /** Images left out of the comparison because they could not be embedded. */
      errors: z.array(imageError),
    }),
  ),
  'images.embed': command(
    'embeds every image under the open folder (recursively) and keeps the embeddings in its index',
    z.strictObject({
      /** Most images per inference call; the engine's default if left out. */
      batch: z.int().min(1).max(MAX_EMBED_BATCH).optional(),
    }),
    z.object({
      /** Image files found. */
      files: z.number(),
      /** Embedded by this command, and found in the index already (same content, same model). */
      embedded: z.number(),
      cached: z.number(),
      errors: z.array(imageError),
      /** Newly embedded images per second; 0 when none were. */
      imagesPerSecond: z.number(),
    }),
  ),
} as const;
