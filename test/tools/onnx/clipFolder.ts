/**
 * Writes a CLIP model folder in the layout of the transformers.js export (onnx/vision_model.onnx,
 * onnx/text_model.onnx, tokenizer and preprocessor JSON, config.json), so test and benchmark models load exactly
 * like downloaded ones.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClipTokenizerFiles } from './clipTokenizer.js';
import type { OnnxModel } from './graphBuilder.js';
import { writeModel } from './modelWriter.js';

/** CLIP's per-channel pixel mean and standard deviation (RGB, on [0, 1]). */
export const CLIP_IMAGE_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_IMAGE_STD = [0.26862954, 0.26130258, 0.27577711] as const;

export const VISION_MODEL_FILE = 'onnx/vision_model.onnx';
export const TEXT_MODEL_FILE = 'onnx/text_model.onnx';

/** The files every model folder has (a README.md is optional). */
export const CLIP_FOLDER_FILES = [
  VISION_MODEL_FILE,
  TEXT_MODEL_FILE,
  'tokenizer.json',
  'tokenizer_config.json',
  'preprocessor_config.json',
  'config.json',
] as const;

export interface ClipFolder {
  readonly vision: OnnxModel;
  readonly text: OnnxModel;
  readonly tokenizer: ClipTokenizerFiles;
  /** Contents of config.json; written last, so a folder with it is complete. */
  readonly config: Record<string, unknown>;
  readonly imageSize: number;
  /** Optional README.md saying what the model is. */
  readonly readme?: string;
}

/** preprocessor_config.json of CLIP: shortest side to `imageSize` (bicubic), centre crop, rescale, normalise. */
export function clipPreprocessorConfig(imageSize: number): Record<string, unknown> {
  return {
    crop_size: { height: imageSize, width: imageSize },
    do_center_crop: true,
    do_convert_rgb: true,
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    feature_extractor_type: 'CLIPFeatureExtractor',
    image_mean: CLIP_IMAGE_MEAN,
    image_processor_type: 'CLIPImageProcessor',
    image_std: CLIP_IMAGE_STD,
    resample: 3,
    rescale_factor: 1 / 255,
    size: { shortest_edge: imageSize },
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function writeAtomically(path: string, contents: string): number {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.partial`, contents);
  renameSync(`${path}.partial`, path);
  return Buffer.byteLength(contents);
}

/** Writes the folder and returns each file's size in bytes, by path relative to `dir`. */
export function writeClipFolder(dir: string, folder: ClipFolder): Record<string, number> {
  const sizes: Record<string, number> = {};
  const text = (file: string, contents: string): void => {
    sizes[file] = writeAtomically(join(dir, file), contents);
  };
  if (folder.readme !== undefined) text('README.md', folder.readme);
  sizes[VISION_MODEL_FILE] = writeModel(join(dir, VISION_MODEL_FILE), folder.vision);
  sizes[TEXT_MODEL_FILE] = writeModel(join(dir, TEXT_MODEL_FILE), folder.text);
  text('tokenizer.json', json(folder.tokenizer.tokenizer));
  text('tokenizer_config.json', json(folder.tokenizer.config));
  text('preprocessor_config.json', json(clipPreprocessorConfig(folder.imageSize)));
  text('config.json', json(folder.config));
  return sizes;
}

/** Whether `dir` holds a folder written with this config: every file there and config.json the same. */
export function isClipFolderComplete(dir: string, config: Record<string, unknown>): boolean {
  const present = CLIP_FOLDER_FILES.every(
    (file) => existsSync(join(dir, file)) && statSync(join(dir, file)).size > 0,
  );
  return present && readFileSync(join(dir, 'config.json'), 'utf8') === json(config);
}
