/**
 * The layouts a model folder can have, and which one a folder is:
 * - `transformers.js`: two ONNX encoders (full precision and/or quantized) under `onnx/`, the tokenizer and the
 *   preprocessing configuration (`preprocessor_config.json`) at the top;
 * - `immich`: Immich's open_clip exports, `visual/model.onnx` with `visual/preprocess_cfg.json`,
 *   `textual/model.onnx` with its tokenizer under `textual/`, and open_clip's model config as `config.json`.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { MODEL_LAYOUTS } from '../choices.js';

/** The model used when nobody names one. */
export const DEFAULT_MODEL_ID = 'clip-vit-base-patch32';

/** The record ClipSort writes into every model folder it installs. */
export const MODEL_RECORD_FILE = 'clipsort-model.json';

export type LayoutName = (typeof MODEL_LAYOUTS)[number];

/** Which encoder files a model folder holds: full precision, or the smaller int8 quantized export. */
export type ModelVariant = 'fp32' | 'quantized';

/** Where each layout keeps its files, relative to the model folder. */
export interface LayoutFiles {
  /** Encoder files per variant the layout has, in the order vision, text. */
  encoders: Partial<Record<ModelVariant, readonly [string, string]>>;
  /** Files the layout needs besides its encoders. */
  required: readonly string[];
  /** The folder of the tokenizer (`tokenizer.json`, `tokenizer_config.json`). */
  tokenizerDir: string;
  /** Folders whose small configuration files (JSON, text) belong to the model. */
  configDirs: readonly string[];
}

export const LAYOUTS: Record<LayoutName, LayoutFiles> = {
  'transformers.js': {
    encoders: {
      fp32: ['onnx/vision_model.onnx', 'onnx/text_model.onnx'],
      quantized: ['onnx/vision_model_quantized.onnx', 'onnx/text_model_quantized.onnx'],
    },
    required: ['tokenizer.json', 'preprocessor_config.json'],
    tokenizerDir: '.',
    configDirs: ['.'],
  },
  immich: {
    encoders: { fp32: ['visual/model.onnx', 'textual/model.onnx'] },
    required: ['config.json', 'visual/preprocess_cfg.json', 'textual/tokenizer.json'],
    tokenizerDir: 'textual',
    configDirs: ['.', 'visual', 'textual'],
  },
};

/** What a folder holds of a layout. */
export interface LayoutCheck {
  /** The layout the folder has (or comes nearest to, when incomplete). */
  layout: LayoutName;
  /** Usable: both encoders in at least one variant each, and the required files. */
  complete: boolean;
  /** Variants whose two encoders are both present. */
  variants: ModelVariant[];
  /** Files to add for a complete folder, naming the full-precision encoders where an encoder is missing. */
  missing: string[];
}

/** Checks which files of `layout` the folder `dir` holds. */
async function checkFiles(dir: string, layout: LayoutName): Promise<LayoutCheck> {
  const present = async (file: string) => isFile(path.join(dir, file));
  const { encoders, required } = LAYOUTS[layout];
  const sets = Object.entries(encoders) as [ModelVariant, readonly [string, string]][];
  const missing: string[] = [];
  for (const index of [0, 1] as const) {
    let found = false;
    for (const [, files] of sets) found ||= await present(files[index]);
    if (!found) missing.push(sets[0]![1][index]);
  }
  for (const file of required) if (!(await present(file))) missing.push(file);
  const variants: ModelVariant[] = [];
  for (const [variant, [vision, text]] of sets) {
    if ((await present(vision)) && (await present(text))) variants.push(variant);
  }
  return { layout, complete: missing.length === 0, variants, missing };
}

/**
 * Which layout `dir` has and what it holds of it. A folder with Immich's `visual/` or `textual/` encoder is read
 * as Immich's; any other as transformers.js's, whose files a missing list then names.
 */
export async function checkLayout(dir: string): Promise<LayoutCheck> {
  const [vision, text] = LAYOUTS.immich.encoders.fp32!;
  const immich = (await isFile(path.join(dir, vision))) || (await isFile(path.join(dir, text)));
  return checkFiles(dir, immich ? 'immich' : 'transformers.js');
}

/** The encoder files of a layout, every variant. */
export const encoderFiles = (layout: LayoutName): string[] => Object.values(LAYOUTS[layout].encoders).flat();

/** True when `file` is a regular file (following links, as Hugging Face's cache links to its blobs). */
export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** True when `dir` is a folder. */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
