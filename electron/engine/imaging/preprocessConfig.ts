import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClipSortError, errorMessage } from '../errors.js';

/** How a model wants its images: read from the model's preprocessing configuration, never assumed. */
export interface PreprocessSpec {
  /** Resize target: the shortest side becomes `shortestEdge`, or the image becomes exactly `width`×`height`. */
  resize: { shortestEdge: number } | { width: number; height: number } | null;
  /** Centre crop to this size, or none. */
  crop: { width: number; height: number } | null;
  /** Multiplier from 8-bit values to the model's scale (1/255 for CLIP). */
  rescale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

const size = z.union([
  z.number().int().positive(),
  z.object({ shortest_edge: z.number().int().positive() }),
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
]);
const triple = z.tuple([z.number(), z.number(), z.number()]);

const configSchema = z.object({
  do_resize: z.boolean().default(true),
  size: size.optional(),
  resample: z.number().int().default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: size.optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z
    .number()
    .positive()
    .default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: triple.optional(),
  image_std: triple.optional(),
});

/** PIL's code for bicubic resampling; the only filter the reference CLIP pipeline uses. */
const PIL_BICUBIC = 3;

type Size = z.infer<typeof size>;

function toResize(value: Size): PreprocessSpec['resize'] {
  if (typeof value === 'number') return { shortestEdge: value };
  return 'shortest_edge' in value ? { shortestEdge: value.shortest_edge } : value;
}

function toCrop(value: Size): PreprocessSpec['crop'] {
  if (typeof value === 'number') return { width: value, height: value };
  if ('shortest_edge' in value) return { width: value.shortest_edge, height: value.shortest_edge };
  return value;
}

/** Turns a parsed `preprocessor_config.json` into a spec, refusing settings we cannot reproduce faithfully. */
export function parsePreprocessConfig(json: unknown): PreprocessSpec {
  const config = configSchema.parse(json);
  if (config.do_resize && config.resample !== PIL_BICUBIC) {
    throw new Error(`resampling filter ${config.resample} is not supported (only bicubic, 3)`);
  }
  if (config.do_resize && !config.size) throw new Error('do_resize is set but size is missing');
  if (config.do_center_crop && !config.crop_size && !config.size) throw new Error('crop_size is missing');
  if (config.do_normalize && (!config.image_mean || !config.image_std)) {
    throw new Error('do_normalize is set but image_mean or image_std is missing');
  }
  return {
    resize: config.do_resize && config.size ? toResize(config.size) : null,
    crop: config.do_center_crop ? toCrop((config.crop_size ?? config.size)!) : null,
    rescale: config.do_rescale ? config.rescale_factor : 1,
    mean: config.do_normalize ? config.image_mean! : [0, 0, 0],
    std: config.do_normalize ? config.image_std! : [1, 1, 1],
  };
}

const openClipSchema = z.object({
  size: z.union([z.number().int().positive(), z.array(z.number().int().positive()).min(1).max(2)]),
  mean: triple,
  std: triple,
  interpolation: z.string().default('bicubic'),
  /** open_clip's default for configs older than the setting. */
  resize_mode: z.string().default('shortest'),
});

/**
 * Turns open_clip's `preprocess_cfg.json` (as Immich exports it) into a spec: `shortest` resizes the shortest side
 * and crops the centre, `squash` resizes to the square without keeping the proportions (SigLIP's way).
 */
export function parseOpenClipPreprocess(json: unknown): PreprocessSpec {
  const config = openClipSchema.parse(json);
  const [height, width] = typeof config.size === 'number' ? [config.size, config.size] : config.size;
  const side = { width: width ?? height!, height: height! };
  if (config.interpolation !== 'bicubic') {
    throw new Error(`interpolation ${config.interpolation} is not supported (only bicubic)`);
  }
  const common = { rescale: 1 / 255, mean: config.mean, std: config.std };
  switch (config.resize_mode) {
    case 'shortest':
      return { resize: { shortestEdge: Math.min(side.width, side.height) }, crop: side, ...common };
    case 'squash':
      return { resize: side, crop: null, ...common };
    default:
      throw new Error(`resize_mode ${config.resize_mode} is not supported (only shortest and squash)`);
  }
}

/** Reads a preprocessing configuration of the model in `modelDir` with the parser of its layout. */
export async function readPreprocessSpec(
  modelDir: string,
  file = 'preprocessor_config.json',
  parse: (json: unknown) => PreprocessSpec = parsePreprocessConfig,
): Promise<PreprocessSpec> {
  try {
    return parse(JSON.parse(await readFile(path.join(modelDir, file), 'utf8')));
  } catch (error) {
    throw new ClipSortError(
      'model-broken',
      `The model's ${file} (in ${modelDir}) cannot be used: ${errorMessage(error)}. ` +
        'Import or download the model again.',
      { cause: error },
    );
  }
}

/** The final tensor size: the crop if there is one, else the resize target. */
export function outputSize(spec: PreprocessSpec): { width: number; height: number } | null {
  if (spec.crop) return spec.crop;
  if (spec.resize && 'width' in spec.resize) return spec.resize;
  return null;
}
