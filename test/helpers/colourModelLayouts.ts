/**
 * The colour CLIP (test/tools/colourClip.ts) in each model layout and export ClipSort reads, written to a folder
 * once per test run: the same right answers, reached through other file names, input names and types,
 * preprocessing, tokenizers and languages.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { buildColourClip, type ColourClipStyle, type ColourWord } from '../tools/colourClip.js';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD } from '../tools/onnx/clipFolder.js';
import {
  writeImmichFolder,
  type OpenClipPreprocess,
  type StatedScoring,
} from '../tools/onnx/immichFolder.js';

/** Spanish names of the colours, as a person names class folders. */
export const SPANISH_COLOURS: Readonly<Record<string, ColourWord>> = {
  rojo: 'red',
  naranja: 'orange',
  amarillo: 'yellow',
  verde: 'green',
  cian: 'cyan',
  azul: 'blue',
  morado: 'purple',
};

/** NLLB's language codes the NLLB-style variant knows. */
export const NLLB_LANGUAGES = ['eng_Latn', 'spa_Latn', 'fra_Latn'] as const;

const HALF: readonly [number, number, number] = [0.5, 0.5, 0.5];

/** A sigmoid that passes a colour's own texts (cosine near 1) and not its neighbours' (cosine up to 0.87). */
export const SIGLIP_SCORING = { logitScale: 100, logitBias: -90 } as const;

interface Variant {
  readonly style: ColourClipStyle;
  readonly preprocess: OpenClipPreprocess;
  readonly scoring?: StatedScoring;
}

/** What each variant stands for. */
export const LAYOUT_VARIANTS = {
  /** open_clip's CLIP as Immich exports it: `image` (float CHW), `text` (int32), centre crop. */
  'immich-clip': {
    style: {
      vision: { input: 'image', pixels: 'float-chw' },
      text: { input: 'text', type: 'int32' },
      outputs: ['embedding', 'embedding'],
    },
    preprocess: { mean: CLIP_IMAGE_MEAN, std: CLIP_IMAGE_STD, resizeMode: 'shortest' },
  },
  /**
   * SigLIP-style: squashed to the square, mean and std 0.5, a graph that normalises 8-bit HWC pixels itself, and
   * a sigmoid with a bias scoring texts.
   */
  'immich-siglip': {
    style: {
      vision: { input: 'image', pixels: 'uint8-hwc' },
      mean: HALF,
      std: HALF,
      text: { input: 'text', type: 'int32' },
      outputs: ['embedding', 'embedding'],
    },
    preprocess: { mean: HALF, std: HALF, resizeMode: 'squash' },
    scoring: SIGLIP_SCORING,
  },
  /** M-CLIP-style: a multilingual text tower taking `input_ids` and `attention_mask`, knowing Spanish. */
  'immich-mclip': {
    style: {
      vision: { input: 'image', pixels: 'float-chw' },
      text: { input: 'input_ids', type: 'int32', attentionMask: true },
      synonyms: SPANISH_COLOURS,
      outputs: ['embedding', 'embedding'],
    },
    preprocess: { mean: CLIP_IMAGE_MEAN, std: CLIP_IMAGE_STD, resizeMode: 'shortest' },
  },
  /**
   * NLLB-style: a SigLIP-like vision tower, and a text tower that needs a language code before the text and
   * reads the Spanish colour names only when told the text is Spanish.
   */
  'immich-nllb': {
    style: {
      vision: { input: 'image', pixels: 'float-chw' },
      mean: HALF,
      std: HALF,
      text: { input: 'text', type: 'int32' },
      synonyms: SPANISH_COLOURS,
      languageTokens: NLLB_LANGUAGES,
      synonymLanguage: 'spa_Latn',
      outputs: ['embedding', 'embedding'],
    },
    preprocess: { mean: HALF, std: HALF, resizeMode: 'squash' },
  },
} as const satisfies Record<string, Variant>;

export type LayoutVariant = keyof typeof LAYOUT_VARIANTS;

const written = new Map<LayoutVariant, Promise<string>>();
const root = mkdtemp(path.join(tmpdir(), 'clipsort-colour-models-'));
// Each test file loads this module afresh: its folders go when the file's tests are done.
afterAll(async () => rm(await root, { recursive: true, force: true }));

/** The folder of a variant, written on first use (whole: built beside it and renamed into place). */
export function colourModelIn(variant: LayoutVariant): Promise<string> {
  let folder = written.get(variant);
  if (!folder) {
    folder = (async () => {
      const dir = path.join(await root, variant);
      const staging = `${dir}.partial`;
      await rm(staging, { recursive: true, force: true });
      const { style, preprocess, ...stated } = LAYOUT_VARIANTS[variant] as Variant;
      writeImmichFolder(staging, buildColourClip(style), preprocess, stated.scoring);
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
      return dir;
    })();
    written.set(variant, folder);
  }
  return folder;
}
