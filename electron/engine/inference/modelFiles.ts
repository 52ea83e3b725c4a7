/**
 * What a model folder says about running it, read from the files of its layout (see models/modelLayout.ts): the
 * encoder files, how images are prepared, and where the tokenizer is and how it is used.
 */
import { ClipSortError } from '../errors.js';
import {
  parseOpenClipPreprocess,
  parsePreprocessConfig,
  readPreprocessSpec,
  type PreprocessSpec,
} from '../imaging/preprocessConfig.js';
import { checkLayout, LAYOUTS } from '../models/modelLayout.js';
import { readModelJson } from '../models/modelJson.js';
import { readModelRecord } from '../models/modelRecord.js';
import type { TokenizerSettings } from '../text/tokenizer.js';
import { CLIP_SCORING, type TextScoring } from './textScoring.js';

export interface ModelFiles {
  /** The encoders, relative to the model folder. */
  vision: string;
  text: string;
  preprocess: PreprocessSpec;
  tokenizer: TokenizerSettings;
  scoring: TextScoring;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const positiveInt = (value: unknown): number | undefined =>
  Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined;

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * The model's learned text scoring where its config states it: `logit_scale` (the multiplier itself, as
 * exported; a log-scale `logit_scale_init_value` or `init_logit_scale` is only where training started, and is not
 * used), with `logit_bias` for a sigmoid (SigLIP) model. Otherwise what the catalogue stated when it was
 * downloaded (`fallback`), else CLIP's softmax at 100.
 */
export function scoringOf(config: Record<string, unknown>, fallback = CLIP_SCORING): TextScoring {
  const scale = finite(config.logit_scale);
  if (scale === undefined || scale <= 0) return fallback;
  const bias = finite(config.logit_bias);
  return bias === undefined ? { kind: 'softmax', scale, bias: 0 } : { kind: 'sigmoid', scale, bias };
}

/**
 * The files of the model in `modelDir`, in whichever layout it has, with the encoders of the variant asked for
 * (without `quantized`: full precision where the folder has it); `model-missing` when that variant is absent.
 */
export async function readModelFiles(
  modelDir: string,
  options: { quantized?: boolean } = {},
): Promise<ModelFiles> {
  const { layout, variants } = await checkLayout(modelDir);
  const variant =
    options.quantized === undefined ? (variants[0] ?? 'fp32') : options.quantized ? 'quantized' : 'fp32';
  const encoders = LAYOUTS[layout].encoders[variant];
  if (!encoders || !variants.includes(variant)) {
    const has = variants.length > 0 ? ` (it has ${variants.join(' and ')} encoders)` : '';
    throw new ClipSortError(
      'model-missing',
      `The model folder ${modelDir} has no ${variant} encoders in the ${layout} layout${has}. ` +
        `Download or import the model again${variant === 'quantized' ? ' with --quantized' : ', or run it with --precision int8'}, ` +
        'or choose another folder with --model-dir.',
    );
  }
  const [vision, text] = encoders;
  // A damaged record is reported by `models list` and `models verify`; here it only leaves the default.
  const recorded = (await readModelRecord(modelDir).catch(() => undefined))?.scoring;
  // Immich's folders carry open_clip's model config (the text tower's positions, how its tokenizer is used) and
  // its preprocessing; transformers.js's, Hugging Face's.
  const immich = layout === 'immich';
  const config = await readModelJson(modelDir, 'config.json', immich);
  const textConfig = record(immich ? config.text_cfg : config.text_config);
  const preprocess = immich
    ? await readPreprocessSpec(modelDir, 'visual/preprocess_cfg.json', parseOpenClipPreprocess)
    : await readPreprocessSpec(modelDir, 'preprocessor_config.json', parsePreprocessConfig);
  const tokenizer: TokenizerSettings = immich
    ? {
        dir: LAYOUTS.immich.tokenizerDir,
        contextLength: positiveInt(textConfig.context_length) ?? 77,
        canonicalize: record(textConfig.tokenizer_kwargs).clean === 'canonicalize',
      }
    : { contextLength: positiveInt(textConfig.max_position_embeddings) };
  return { vision, text, preprocess, tokenizer, scoring: scoringOf(config, recorded) };
}
