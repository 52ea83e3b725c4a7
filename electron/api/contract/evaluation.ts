/** Evaluation and search: captions against their images, the modes against the references, text search, duplicates. */
import { z } from 'zod';
import { MODES } from '../../engine/choices.js';
import { command, libraryPath, MAX_NAME, none, nullableScore, score } from './schemas.js';

/**
 * The longest captions file a face may send, in characters. Sent as JSON, it must fit the server's 1 MiB message
 * limit with room for escaping; a thousand captions (the most `eval.captions` compares) take far less.
 */
export const MAX_CAPTIONS_CHARS = 768 * 1024;

/** A square similarity matrix over labelled items, grouped by category. */
const groupedMatrix = z.object({
  labels: z.array(z.string()),
  categories: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});

export const evaluationCommands = {
  'eval.captions': command(
    'how well images match their captions: a captions file (CSV filename,category,caption or JSON) against images in a library folder',
    z.strictObject({
      /** The captions file's text. */
      captions: z.string().min(1).max(MAX_CAPTIONS_CHARS),
      /** The file's name, to tell CSV from JSON by its extension (otherwise by its content). */
      name: z.string().max(MAX_NAME).optional(),
      /** Where the images are, by file name directly inside or in `<category>/` subfolders; default `Dataset`. */
      folder: libraryPath.optional(),
    }),
    z.object({
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
      /** Rows of the file whose image was not found, or could not be read, with why. */
      missing: z.array(z.object({ file: z.string(), reason: z.string() })),
      /** Image × image and caption × caption similarity, rows grouped by category. */
      imageMatrix: groupedMatrix,
      textMatrix: groupedMatrix,
    }),
  ),
  'eval.classes': command(
    'leave-one-out accuracy of every mode over the reference images, a confusion matrix per mode, and the mode to use',
    none,
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
    }),
  ),
  'search.text': command(
    'the images closest to a text ("dog on a beach"), best first',
    z.strictObject({ text: z.string().trim().min(1).max(1000), limit: z.int().min(1).max(1000).optional() }),
    z.object({ results: z.array(z.object({ file: z.string(), score })) }),
  ),
  'search.duplicates': command(
    'groups of images whose embeddings are at least `threshold` cosine-similar (near-duplicates)',
    z.strictObject({ threshold: z.number().min(0.5).max(1).optional() }),
    z.object({
      threshold: z.number(),
      groups: z.array(z.object({ files: z.array(z.string()), similarity: score })),
    }),
  ),
} as const;
