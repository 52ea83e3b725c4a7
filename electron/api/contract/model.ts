/** The model: whether it is found and loaded, the models installed, downloading and importing one. */
import { z } from 'zod';
import { command, folderPath, none } from './schemas.js';

/** A model id: a folder name in the models home (letters, digits, `.`, `_`, `-`). */
const modelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);

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
  message: z.string().nullable(),
  /** The model download of this run (see `model.download`), or null when none was started. */
  download: modelDownload.nullable(),
});

/** One model of the catalogue or of the models home. */
const modelListing = z.object({
  id: z.string(),
  /** The catalogue's name for it; null for a model only imported. */
  name: z.string().nullable(),
  /** Whether it is the catalogue's default (what `model.download` fetches). */
  isDefault: z.boolean(),
  /** `partial`: a folder is there but something is missing (an interrupted download; see `problem`). */
  state: z.enum(['installed', 'partial', 'not-installed']),
  /** Bytes on disk, once installed. */
  size: z.number().nullable(),
  problem: z.string().nullable(),
  /** Whether this is the model the app uses (or would load). */
  inUse: z.boolean(),
});

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
    'download the default model in the background (resumes an interrupted download); progress comes as ' +
      '`model-download` events, then `model` events; a second call while one runs starts nothing',
    none,
    z.object({ model: z.string(), started: z.boolean() }),
  ),
  'model.cancelDownload': command(
    'stop the download in progress (what is fetched so far is kept, to resume later)',
    none,
    z.object({ cancelled: z.boolean() }),
  ),
  'model.import': command(
    'copy a model folder (transformers.js layout) into the models home and use it (only where the face may ' +
      'switch libraries); replace: true replaces an installed model of the same name',
    z.strictObject({ path: folderPath, id: modelId.optional(), replace: z.boolean().optional() }),
    z.object({ model: z.string(), folder: z.string(), files: z.number() }),
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
} as const;
