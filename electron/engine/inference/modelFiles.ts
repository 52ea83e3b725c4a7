/**
 * What a model folder says about running it, read from the files of its layout (see models/modelLayout.ts): the
 * encoder files, how images are prepared, and where the tokenizer is and how it is used.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';
import {
  parseOpenClipPreprocess,
  parsePreprocessConfig,
  readPreprocessSpec,
  type PreprocessSpec,
} from '../imaging/preprocessConfig.js';
import { checkLayout, LAYOUTS, type LayoutName } from '../models/modelLayout.js';
import type { TokenizerSettings } from '../text/tokenizer.js';

export interface ModelFiles {
  layout: LayoutName;
  /** The encoders, relative to the model folder. */
  vision: string;
  text: string;
  preprocess: PreprocessSpec;
  tokenizer: TokenizerSettings;
}

/** Reads a JSON file of the model; `{}` when an optional one is absent. */
async function readJson(modelDir: string, file: string, required: boolean): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path.join(modelDir, file), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ClipSortError(
      'model-broken',
      `The model's ${file} in ${modelDir} cannot be read (${errorMessage(error)}). Import or download the model again.`,
      { cause: error },
    );
  }
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const positiveInt = (value: unknown): number | undefined =>
  Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined;

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
        'Download or import the model again, or choose another folder with --model-dir.',
    );
  }
  const [vision, text] = encoders;
  if (layout === 'immich') {
    // open_clip's model config: the text tower's positions and how its tokenizer is used.
    const textConfig = record((await readJson(modelDir, 'config.json', true)).text_cfg);
    const tokenizerKwargs = record(textConfig.tokenizer_kwargs);
    return {
      layout,
      vision,
      text,
      preprocess: await readPreprocessSpec(modelDir, 'visual/preprocess_cfg.json', parseOpenClipPreprocess),
      tokenizer: {
        dir: LAYOUTS.immich.tokenizerDir,
        contextLength: positiveInt(textConfig.context_length) ?? 77,
        canonicalize: tokenizerKwargs.clean === 'canonicalize',
      },
    };
  }
  const textConfig = record((await readJson(modelDir, 'config.json', false)).text_config);
  return {
    layout,
    vision,
    text,
    preprocess: await readPreprocessSpec(modelDir, 'preprocessor_config.json', parsePreprocessConfig),
    tokenizer: { contextLength: positiveInt(textConfig.max_position_embeddings) },
  };
}
