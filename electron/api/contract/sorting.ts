/**
 * Sorting and settings: starting and stopping the watch service, how images are classified and decided, and the
 * events sorting pushes.
 */
import { z } from 'zod';
import { EXECUTION_PROVIDERS, MODES, PRECISIONS } from '../../engine/choices.js';
import { classScore, command, none, score } from './schemas.js';

/** The longest quiet period a library may ask for, in seconds. */
export const MAX_QUIET_SECONDS = 600;

/** Languages the faces offer for class names (any other tag is taken too). */
export const CLASS_LANGUAGES = [
  'ar',
  'ca',
  'de',
  'en',
  'es',
  'eu',
  'fr',
  'gl',
  'hi',
  'it',
  'ja',
  'ko',
  'nl',
  'pl',
  'pt',
  'ru',
  'sv',
  'tr',
  'uk',
  'zh',
] as const;

/** A language as BCP 47 tags it (`es`, `es-MX`, `pt-BR`). */
const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "es" or "pt-BR"');

/** The share of filed images allowed in the wrong class, for the calibrated rule. */
const errorShare = z.number().gt(0).lt(1);

const settings = z.object({
  mode: z.enum(MODES),
  /**
   * How images are decided: by the rule calibrated to `maxError` on the library's labelled photos, or by a fixed
   * `threshold` and `margin` (the mode's unless set).
   */
  decideBy: z.enum(['error', 'threshold']),
  /**
   * Deciding by the error share, while the labelled photos are too few to promise it: by the fixed threshold and
   * margin (the default), or every photo waits for review (when a person asked for the error share).
   */
  untilCalibrated: z.enum(['threshold', 'review']),
  /** The share of filed images allowed in the wrong class. */
  maxError: z.number(),
  /** Lowest score that sorts an image, by a fixed rule. */
  threshold: z.number(),
  /** Lowest lead over the runner-up that sorts an image, by a fixed rule. */
  margin: z.number(),
  /** Seconds a new file must be left alone (unchanged, not open for writing) before it is sorted. */
  quietSeconds: z.number(),
  /**
   * The language the class folders are named in, which models such as NLLB-CLIP are told before each name (and
   * each search); others read any language as they read it.
   */
  classLanguage: z.string(),
  /**
   * The error share, the mode's own threshold and margin, the quiet period, and the class names' language (the
   * computer's), used where none is set.
   */
  defaults: z.object({
    maxError: z.number(),
    threshold: z.number(),
    margin: z.number(),
    quietSeconds: z.number(),
    classLanguage: z.string(),
  }),
  /** Inference threads per model tower; null lets onnxruntime choose (one per core). Kept per computer. */
  threads: z.number().nullable(),
  /** Where the model runs. Kept per computer, not per library. */
  provider: z.enum(EXECUTION_PROVIDERS),
  /**
   * The vision encoder's precision asked for (kept per computer); int8 runs only once checked on the library's
   * photos, and the model's status says which runs.
   */
  precision: z.enum(PRECISIONS),
  /** What this computer offers: the providers this build can load here, and its processor cores. */
  available: z.object({ providers: z.array(z.enum(EXECUTION_PROVIDERS)), cores: z.number() }),
});

/**
 * Settings for one run of sorting, over the library's own (which stay as they are, as does what is left out).
 */
const runSettings = z.strictObject({
  mode: z.enum(MODES).optional(),
  /**
   * Decide by the rule calibrated to this error share alone, photos waiting for review while the labelled photos
   * are too few to promise it (unless a threshold or margin is given too).
   */
  maxError: errorShare.optional(),
  threshold: z.number().min(-1).max(1).optional(),
  margin: z.number().min(0).max(2).optional(),
  quietSeconds: z.number().min(0).max(MAX_QUIET_SECONDS).optional(),
  classLanguage: languageTag.optional(),
  /** Decide and report, but move nothing and keep nothing for review. */
  dryRun: z.boolean().optional(),
});

/**
 * Why an image waits: a low score or lead, an undo that put it back, an earlier decision it is held by, or too
 * few labelled photos to promise the error asked for.
 */
const waitReason = z.enum(['score', 'margin', 'undone', 'held', 'evidence']);

/** An image moved into its class, and where the files that go with it (RAW, video, sidecars) went too. */
const sortedImage = z.object({
  file: z.string(),
  class: z.string(),
  to: z.string(),
  score,
  margin: score,
  companions: z.array(z.string()),
});

export const sortingCommands = {
  'sort.start': command(
    'keep sorting: images already in Images/ and every one that arrives; with run settings, sort this run by ' +
      'them (until stopped or settings.set)',
    runSettings,
    z.object({ sorting: z.boolean() }),
  ),
  'sort.pass': command(
    'sort the images in Images/ now, once, and answer with what happened to each; progress comes as `progress` ' +
      'events and each image as `sorted`, `review` or `error`; sorting, if running, pauses meanwhile. With ' +
      "recheck, the images waiting for review are decided again by today's classes and settings (those that " +
      'clear are filed, undone ones too); without, they keep waiting with fresh suggestions',
    runSettings.extend({ recheck: z.boolean().optional() }),
    z.object({
      sorted: z.array(sortedImage),
      review: z.array(
        z.object({ file: z.string(), reason: waitReason, best: z.string(), score, margin: score }),
      ),
      errors: z.array(z.object({ file: z.string(), error: z.string() })),
    }),
  ),
  'sort.preview': command(
    'the class each image in Images/ would go to, with its score and margin, and whether it would wait for ' +
      "review, moving nothing; a mode, threshold, margin and hybrid weights may be tried (unset: the mode's " +
      'defaults, and the library mode); images are embedded first (`embedding` events)',
    z.strictObject({
      mode: z.enum(MODES).optional(),
      threshold: z.number().min(-1).max(1).optional(),
      margin: z.number().min(0).max(2).optional(),
      /** Hybrid mode: the weight of the reference images against the prompts, and how much the closest count. */
      alpha: z.number().min(0).max(1000).optional(),
      beta: z.number().min(0).max(1000).optional(),
    }),
    z.object({
      predictions: z.array(
        z.object({
          file: z.string(),
          class: z.string(),
          score,
          margin: score,
          /** Every class's score. */
          scores: z.record(z.string(), z.number()),
          review: z.boolean(),
        }),
      ),
      errors: z.array(z.object({ file: z.string(), error: z.string() })),
      /** Classes without reference images, scored by their prompts in an image mode. */
      fellBack: z.array(z.string()),
      /** The threshold and margin that decided `review`. */
      decision: z.object({ threshold: z.number(), margin: z.number() }),
    }),
  ),
  'sort.stop': command(
    'stop sorting; moves in flight are finished first',
    none,
    z.object({ sorting: z.boolean() }),
  ),
  'settings.get': command('how images are classified and decided', none, settings),
  'settings.set': command(
    'change the mode; how images are decided (`error`: by the rule calibrated to the error share alone, photos ' +
      'waiting for review until the labelled photos support it; `threshold`: by the fixed rule; null: the ' +
      'default, calibrated once possible and fixed until then; unless given, an error share implies `error` and ' +
      "a threshold or margin `threshold`); the error share (null: 0.02); a fixed threshold or margin (null: the mode's default); the quiet period before a new file is " +
      "sorted (null: the default), the class names' language (null: the computer's), threads (null: automatic) " +
      'provider or precision (int8: checked on the library first, full precision kept when refused); ' +
      'sorting restarts with them, and the model reloads for new threads, provider or precision (an unavailable provider ' +
      'is refused with `provider-unavailable` and the previous one kept)',
    z.strictObject({
      mode: z.enum(MODES).optional(),
      decideBy: z.enum(['error', 'threshold']).nullable().optional(),
      maxError: errorShare.nullable().optional(),
      threshold: z.number().min(-1).max(1).nullable().optional(),
      margin: z.number().min(0).max(2).nullable().optional(),
      quietSeconds: z.number().min(0).max(MAX_QUIET_SECONDS).nullable().optional(),
      classLanguage: languageTag.nullable().optional(),
      threads: z.int().min(1).max(1024).nullable().optional(),
      provider: z.enum(EXECUTION_PROVIDERS).optional(),
      precision: z.enum(PRECISIONS).optional(),
    }),
    settings,
  ),
} as const;

export const sortingEvents = {
  /** An image was moved into its class. */
  sorted: sortedImage,
  /** An image waits for a person. */
  review: z.object({
    file: z.string(),
    reason: waitReason,
    best: z.string(),
    score,
    margin: score,
    top: z.array(classScore),
  }),
  /** Something failed: one image (`file`) or the service. */
  error: z.object({ file: z.string().nullable(), code: z.string(), message: z.string() }),
  /** Images handed to the sorter since sorting started, those finished, and the recent rate. */
  progress: z.object({ queued: z.number(), done: z.number(), perSecond: z.number() }),
  /** The classes were re-read (Classes/ changed). */
  classes: z.object({ names: z.array(z.string()) }),
  /** Sorting started or stopped. */
  sorting: z.object({ sorting: z.boolean() }),
} as const;
