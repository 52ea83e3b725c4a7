/**
 * Writes a model folder in the layout of Immich's open_clip exports: `visual/model.onnx` with
 * `visual/preprocess_cfg.json`, `textual/model.onnx` with its tokenizer, and open_clip's model config as
 * `config.json` (written last, so a folder with it is complete).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClipFolder } from './clipFolder.js';
import { writeModel } from './modelWriter.js';

/** open_clip's preprocessing: `shortest` resizes and crops the centre, `squash` resizes to the square. */
export interface OpenClipPreprocess {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly resizeMode: 'shortest' | 'squash';
}

/** The learned text scoring, stated in config.json: a softmax scale, or a sigmoid's scale and bias (SigLIP). */
export interface StatedScoring {
  readonly logitScale: number;
  readonly logitBias?: number;
}

function writeJson(path: string, value: unknown): number {
  const contents = `${JSON.stringify(value, null, 2)}\n`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.partial`, contents);
  renameSync(`${path}.partial`, path);
  return Buffer.byteLength(contents);
}

/** Writes `folder` into `dir` in Immich's layout and returns each file's size in bytes, by relative path. */
export function writeImmichFolder(
  dir: string,
  folder: ClipFolder,
  preprocess: OpenClipPreprocess,
  scoring?: StatedScoring,
): Record<string, number> {
  const embedDim = (folder.config.projection_dim as number | undefined) ?? 512;
  const textConfig = (folder.config.text_config ?? {}) as Record<string, unknown>;
  const sizes: Record<string, number> = {
    'visual/model.onnx': writeModel(join(dir, 'visual/model.onnx'), folder.vision),
    'visual/preprocess_cfg.json': writeJson(join(dir, 'visual/preprocess_cfg.json'), {
      size: [folder.imageSize, folder.imageSize],
      mode: 'RGB',
      mean: preprocess.mean,
      std: preprocess.std,
      interpolation: 'bicubic',
      resize_mode: preprocess.resizeMode,
      fill_color: 0,
    }),
    'textual/model.onnx': writeModel(join(dir, 'textual/model.onnx'), folder.text),
    'textual/tokenizer.json': writeJson(join(dir, 'textual/tokenizer.json'), folder.tokenizer.tokenizer),
    'textual/tokenizer_config.json': writeJson(
      join(dir, 'textual/tokenizer_config.json'),
      folder.tokenizer.config,
    ),
  };
  sizes['config.json'] = writeJson(join(dir, 'config.json'), {
    embed_dim: embedDim,
    vision_cfg: { image_size: folder.imageSize, layers: 1, width: embedDim, patch_size: 32 },
    text_cfg: {
      context_length: textConfig.max_position_embeddings ?? 77,
      vocab_size: textConfig.vocab_size,
      width: embedDim,
      heads: 1,
      layers: 1,
    },
    ...(scoring ? { logit_scale: scoring.logitScale } : {}),
    ...(scoring?.logitBias === undefined ? {} : { logit_bias: scoring.logitBias }),
  });
  return sizes;
}
