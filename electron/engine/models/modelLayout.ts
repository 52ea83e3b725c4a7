/**
 * The layout of a model folder, as transformers.js exports CLIP: two ONNX encoders (full precision and/or
 * quantized) under `onnx/`, and the tokenizer and preprocessing configuration at the top.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelVariant } from './manifest.js';

/** The model used when nobody names one. */
export const DEFAULT_MODEL_ID = 'clip-vit-base-patch32';

/** The record ClipSort writes into every model folder it installs. */
export const MODEL_RECORD_FILE = 'clipsort-model.json';

/** Encoder files per variant, in the order vision, text. */
export const ENCODER_FILES: Record<ModelVariant, readonly [string, string]> = {
  fp32: ['onnx/vision_model.onnx', 'onnx/text_model.onnx'],
  quantized: ['onnx/vision_model_quantized.onnx', 'onnx/text_model_quantized.onnx'],
};

/** Files every model folder needs besides its encoders. */
export const SHARED_REQUIRED_FILES = ['tokenizer.json', 'preprocessor_config.json'] as const;

/** What a folder holds of the layout. */
export interface LayoutCheck {
  /** Usable: both encoders in at least one variant each, and the shared files. */
  complete: boolean;
  /** Variants whose two encoders are both present. */
  variants: ModelVariant[];
  /** Files to add for a complete folder, naming the full-precision encoders where an encoder is missing. */
  missing: string[];
}

/** Checks which files of the layout `dir` holds. */
export async function checkLayout(dir: string): Promise<LayoutCheck> {
  const present = async (file: string) => isFile(path.join(dir, file));
  const missing: string[] = [];
  for (const index of [0, 1] as const) {
    const [fp32, quantized] = [ENCODER_FILES.fp32[index], ENCODER_FILES.quantized[index]];
    if (!(await present(fp32)) && !(await present(quantized))) missing.push(fp32);
  }
  for (const file of SHARED_REQUIRED_FILES) if (!(await present(file))) missing.push(file);
  const variants: ModelVariant[] = [];
  for (const variant of ['fp32', 'quantized'] as const) {
    const [vision, text] = ENCODER_FILES[variant];
    if ((await present(vision)) && (await present(text))) variants.push(variant);
  }
  return { complete: missing.length === 0, variants, missing };
}

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
