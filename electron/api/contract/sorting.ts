/**
 * Sorting and settings: starting and stopping the watch service, how images are classified and decided, and the
 * events sorting pushes.
 */
import { z } from 'zod';
import { EXECUTION_PROVIDERS, MODES } from '../../engine/choices.js';
import { classScore, command, none, score } from './schemas.js';

/** The longest quiet period a library may ask for, in seconds. */
export const MAX_QUIET_SECONDS = 600;

const settings = z.object({
  mode: z.enum(MODES),
  /** Lowest score that sorts an image. */
  threshold: z.number(),
  /** Lowest lead over the runner-up that sorts an image. */
  margin: z.number(),
  /** Seconds a new file must be left alone (unchanged, not open for writing) before it is sorted. */
  quietSeconds: z.number(),
  /** The mode's own threshold and margin, and the quiet period, used where none is set. */
  defaults: z.object({ threshold: z.number(), margin: z.number(), quietSeconds: z.number() }),
  /** Inference threads per model tower; null lets onnxruntime choose (one per core). Kept per computer. */
  threads: z.number().nullable(),
  /** Where the model runs. Kept per computer, not per library. */
  provider: z.enum(EXECUTION_PROVIDERS),
  /** What this computer offers: the providers this build can load here, and its processor cores. */
  available: z.object({ providers: z.array(z.enum(EXECUTION_PROVIDERS)), cores: z.number() }),
});

export const sortingCommands = {
  'sort.start': command(
    'keep sorting: images already in Images/ and every one that arrives',
    none,
    z.object({ sorting: z.boolean() }),
  ),
  'sort.stop': command(
    'stop sorting; moves in flight are finished first',
    none,
    z.object({ sorting: z.boolean() }),
  ),
  'settings.get': command('how images are classified and decided', none, settings),
  'settings.set': command(
    'change the mode, threshold or margin (null: back to the mode default), the quiet period before a new file is ' +
      'sorted (null: the default), threads (null: automatic) or provider; ' +
      'sorting restarts with them, and the model reloads for new threads or provider (an unavailable provider ' +
      'is refused with `provider-unavailable` and the previous one kept)',
    z.strictObject({
      mode: z.enum(MODES).optional(),
      threshold: z.number().min(-1).max(1).nullable().optional(),
      margin: z.number().min(0).max(2).nullable().optional(),
      quietSeconds: z.number().min(0).max(MAX_QUIET_SECONDS).nullable().optional(),
      threads: z.int().min(1).max(1024).nullable().optional(),
      provider: z.enum(EXECUTION_PROVIDERS).optional(),
    }),
    settings,
  ),
} as const;

export const sortingEvents = {
  /** An image was moved into its class. */
  sorted: z.object({ file: z.string(), class: z.string(), to: z.string(), score, margin: score }),
  /** An image waits for a person. */
  review: z.object({ file: z.string(), best: z.string(), score, margin: score, top: z.array(classScore) }),
  /** Something failed: one image (`file`) or the service. */
  error: z.object({ file: z.string().nullable(), code: z.string(), message: z.string() }),
  /** Images handed to the sorter since sorting started, those finished, and the recent rate. */
  progress: z.object({ queued: z.number(), done: z.number(), perSecond: z.number() }),
  /** The classes were re-read (Classes/ changed). */
  classes: z.object({ names: z.array(z.string()) }),
  /** Sorting started or stopped. */
  sorting: z.object({ sorting: z.boolean() }),
} as const;
