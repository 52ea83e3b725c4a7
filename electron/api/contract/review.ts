/** Review and moves: the images waiting for a person, filing one by hand, the move journal, and undoing moves. */
import { z } from 'zod';
import { MOVE_ORIGINS } from '../../engine/choices.js';
import { className, classScore, command, libraryPath, none, nullableScore } from './schemas.js';

const reviewItem = z.object({
  file: z.string(),
  /** `unsure`: the classifier could not decide; `undone`: an undo put it back. */
  reason: z.enum(['unsure', 'undone']),
  best: z.string().nullable(),
  score: nullableScore,
  margin: nullableScore,
  /** The best classes, most likely first. */
  top: z.array(classScore),
});

const moveItem = z.object({
  id: z.number(),
  /** Moves made together (one sort run, one assignment, one undo) share a batch; undo works by batch. */
  batch: z.string(),
  kind: z.enum(['sort', 'assign', 'undo']),
  state: z.enum(['planned', 'done', 'failed', 'rolled-back', 'undone']),
  source: z.string(),
  destination: z.string(),
  error: z.string().nullable(),
  plannedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Where a person asked for the move: on the map, from a search, from a cluster; null otherwise. */
  origin: z.enum(MOVE_ORIGINS).nullable(),
  /** For a file that went with a photo (its RAW, video or sidecar): the id of the photo's move; null otherwise. */
  companionOf: z.number().nullable(),
});

export const reviewCommands = {
  'review.list': command('the images waiting for a decision', none, z.object({ items: z.array(reviewItem) })),
  'review.assign': command(
    'file an image under a class yourself (into Dataset/, or Classes/ as a reference image)',
    z.strictObject({ file: libraryPath, class: className, asReference: z.boolean().optional() }),
    z.object({
      file: z.string(),
      to: z.string(),
      /** The batch of the move, for `moves.undo` to put exactly this image back; null when nothing moved. */
      batch: z.string().nullable(),
    }),
  ),
  'moves.recent': command(
    'the most recent moves, newest first',
    z.strictObject({ limit: z.int().min(1).max(1000).optional() }),
    z.object({ moves: z.array(moveItem) }),
  ),
  'moves.undo': command(
    'put moved images back: the last run (default), the last N runs, one batch, chosen moves (ids), or all',
    z
      .strictObject({
        last: z.int().min(1).max(10_000).optional(),
        all: z.literal(true).optional(),
        batch: z.string().min(1).max(100).optional(),
        /** Move ids from `moves.recent`: just those moves (e.g. one wrongly sorted image), if still undoable. */
        ids: z.array(z.int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(10_000).optional(),
      })
      .refine(
        (o) => [o.last, o.all, o.batch, o.ids].filter((v) => v !== undefined).length <= 1,
        'give at most one of last, all, batch and ids',
      ),
    z.object({
      restored: z.array(z.object({ from: z.string(), to: z.string() })),
      skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
      /** Folders the undone moves had created, removed because they were empty again. */
      removedFolders: z.array(z.string()),
    }),
  ),
} as const;
