/** The model: whether it is found and loaded, the models installed, downloading, importing and verifying one. */
import { z } from 'zod';
import { MODEL_LAYOUTS, MODEL_STRENGTHS, PRECISIONS } from '../../engine/choices.js';
import { command, folderPath, modelId, none } from './schemas.js';

/** The model download of this run: in progress, or how the last one ended. */
const modelDownload = z.object({
  model: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** The file being fetched now (model-relative), or null between files. */
  file: z.string().nullable(),
  /** Bytes fetched in this run so far, and the total to fetch (0 until known). */
  received: z.number(),
  total: z.number(),
  /** Why it failed. */
  message: z.string().nullable(),
});

const modelStatus = z.object({
  /** `idle`: found or not yet looked for, not loaded; `missing`: no usable model (see `message`). */
  state: z.enum(['idle', 'loading', 'ready', 'missing', 'failed']),
  /** The model folder, once found. */
  folder: z.string().nullable(),
  /** Why a ready model runs other than asked (int8 refused by its check), or why none could be loaded. */
  message: z.string().nullable(),
  /** How the loaded model's vision encoder computes; null until one is loaded. */
  precision: z.enum(PRECISIONS).nullable(),
  /** The model download of this run (see `model.download`), or null when none was started. */
  download: modelDownload.nullable(),
});

/** Measured quality and speed, with where they were measured (see models/manifest.json). */
const modelFigures = z.object({
  /** Crossmodal-3600 text-to-image recall (%, mean of R@1, R@5, R@10), by ISO 639-1 language of the query. */
  crossmodal3600Recall: z.record(z.string(), z.number()).optional(),
  /** ImageNet-1k zero-shot top-1 accuracy (%). */
  imagenetZeroShot: z.number().optional(),
  msPerImage: z.number().optional(),
  memoryMiB: z.number().optional(),
  sources: z.array(z.string()),
});

/** What a model is the better choice for among the catalogue's, for a face to put into words. */
const modelStrength = z.enum(MODEL_STRENGTHS);

/** One model of the catalogue or of the models home. */
const modelListing = z.object({
  id: z.string(),
  /** The catalogue's name for it; null for a model only imported. */
  name: z.string().nullable(),
  inCatalogue: z.boolean(),
  /** Whether it is the catalogue's default (what `model.download` fetches). */
  isDefault: z.boolean(),
  /** `partial`: a folder is there but something is missing (an interrupted download; see `problem`). */
  state: z.enum(['installed', 'partial', 'not-installed']),
  /** Its folder in the models home (there or not). */
  path: z.string(),
  /** The encoders present: full precision, int8 quantized, or both. */
  variants: z.array(z.enum(['fp32', 'quantized'])),
  /** Bytes on disk, once installed. */
  size: z.number().nullable(),
  /** How it came, as its record says; null without a record. */
  source: z.enum(['download', 'import']).nullable(),
  problem: z.string().nullable(),
  /** Whether this is the model the app uses (or would load). */
  inUse: z.boolean(),
  /** The languages folder names can be written in (ISO 639-1); absent when unknown (a model only imported). */
  languages: z.array(z.string()).optional(),
  /** How its folder is laid out: transformers.js's ONNX export or Immich's. */
  layout: z.enum(MODEL_LAYOUTS).optional(),
  /** The catalogue's word on it, for choosing one; absent for a model only imported. */
  licence: z.object({ name: z.string(), holder: z.string(), url: z.string().optional() }).optional(),
  figures: modelFigures.optional(),
  strengths: z.array(modelStrength).optional(),
});

/** A model folder just installed: every file with its verified size and sha256, and those fetched or copied now. */
const installedModel = z.object({
  id: z.string(),
  path: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number(), sha256: z.string() })),
  added: z.array(z.string()),
});

/** How one recorded file of a model compares with what is on disk now. */
const fileCheck = z.object({
  path: z.string(),
  status: z.enum(['ok', 'modified', 'missing']),
  expected: z.object({ size: z.number(), sha256: z.string() }),
  /** What is there now; the sha256 only when the size matches (a different size is a change already). */
  actual: z.object({ size: z.number(), sha256: z.string().optional() }).optional(),
});

/**
 * `use: false` only installs the model and loads nothing (the command line); it becomes the model in use only when
 * no other is. Otherwise it becomes the model in use and is loaded.
 */
const use = z.boolean().optional();

export const modelCommands = {
  'model.status': command(
    'whether the CLIP model is found and loaded, the models installed, and the download in progress',
    none,
    modelStatus.extend({
      /** Where downloaded and imported models live. */
      modelsHome: z.string(),
      /** The catalogue's models and any other model in the models home. */
      models: z.array(modelListing),
    }),
  ),
  'model.download': command(
    'download a model of the catalogue (`id`; the default unless given) in the background, resuming an ' +
      'interrupted download, then use it (`use: false`: only install it, and use it only when no other model is ' +
      'in use); `quantized: true` fetches the smaller ' +
      'int8 encoders instead of the full-precision ones. Progress comes as `model-download` events, then `model` events; a second call while one runs ' +
      'starts nothing. `wait: true` answers once the download (this one or the one running) ends, with the ' +
      'model as installed, and fails with its error when it fails or is cancelled',
    z.strictObject({
      id: modelId.optional(),
      quantized: z.boolean().optional(),
      use,
      wait: z.boolean().optional(),
    }),
    z.object({ model: z.string(), started: z.boolean(), installed: installedModel.optional() }),
  ),
  'model.cancelDownload': command(
    'stop the download in progress (what is fetched so far is kept, to resume later)',
    none,
    z.object({ cancelled: z.boolean() }),
  ),
  'model.import': command(
    'copy a model folder (transformers.js layout) on the computer that runs the face into the models home and ' +
      'use it (`use: false`: only install it, and use it only when no other model is in use); replace: true ' +
      'replaces an installed model of the same name',
    z.strictObject({ path: folderPath, id: modelId.optional(), replace: z.boolean().optional(), use }),
    z.object({ model: z.string(), folder: z.string(), files: z.number(), installed: installedModel }),
  ),
  'model.use': command(
    'make the installed model `id` the one in use, for every face sharing the models home; a loaded model is ' +
      'replaced by it',
    z.strictObject({ id: modelId }),
    z.object({ model: z.string(), folder: z.string() }),
  ),
  'model.verify': command(
    're-hash the files of installed models against their records: the model `id` of the models home, the ' +
      'model folder at `path` (only where the face may switch libraries), or else every model of the models ' +
      'home that has a record; `ok` is false when any file is missing or changed',
    z
      .strictObject({ id: modelId.optional(), path: folderPath.optional() })
      .refine((o) => o.id === undefined || o.path === undefined, 'give at most one of id and path'),
    z.object({
      ok: z.boolean(),
      models: z.array(
        z.object({ id: z.string(), path: z.string(), ok: z.boolean(), files: z.array(fileCheck) }),
      ),
    }),
  ),
} as const;

export const modelEvents = {
  model: modelStatus,
  /** A model file downloading. */
  'model-download': z.object({
    model: z.string(),
    file: z.string(),
    received: z.number(),
    total: z.number(),
  }),
  /**
   * The open library being embedded by the model about to be used (`folder`), while the model in use keeps
   * sorting: `done` of `total` images, those embedded before by it counted at once; the rate and time left once
   * measured.
   */
  'model-catchup': z.object({
    folder: z.string(),
    done: z.number(),
    total: z.number(),
    perSecond: z.number().nullable(),
    secondsLeft: z.number().nullable(),
  }),
} as const;
