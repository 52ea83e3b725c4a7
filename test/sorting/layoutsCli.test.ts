/**
 * The colour CLIP in each of Immich's exports (test/helpers/colourModelLayouts.ts), end to end through the
 * command line: sort in every mode, eval of the classes, search, and a model folder imported into the models home.
 * Spanish class names sort in text mode with the multilingual variants and not with the English-only model.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../electron/engine/classify/scores.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { colourModelIn, LAYOUT_VARIANTS, type LayoutVariant } from '../helpers/colourModelLayouts.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

interface SortJson {
  sorted: { file: string; class: string }[];
  review: { file: string }[];
  errors: unknown[];
}

interface EvalJson {
  modes: Record<string, number | null>;
}

const VARIANTS = Object.keys(LAYOUT_VARIANTS) as LayoutVariant[];

describe('clipsort with models in Immich’s layout', () => {
  const tempDir = useTempDirs();

  it.each(VARIANTS)(
    '%s sorts a colour library in every mode, evaluates it and searches it',
    async (variant) => {
      const model = ['--model-dir', await colourModelIn(variant)];
      for (const mode of MODES) {
        const root = await tempDir();
        const expected = await makeColourLibrary(root);
        const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', mode]);
        expect({ mode, errors: result.errors, review: result.review }).toEqual({
          mode,
          errors: [],
          review: [],
        });
        const got = new Map(result.sorted.map((image) => [image.file, image.class]));
        for (const { file, colour } of expected)
          expect({ mode, file, class: got.get(file) }).toEqual({ mode, file, class: colour });
      }
      const root = await tempDir();
      await makeColourLibrary(root);
      const evaluation = runClipsortJson<EvalJson>(['eval', root, '--classes', ...model]);
      for (const mode of MODES) expect(evaluation.modes[mode]).toBeGreaterThanOrEqual(0.75);
      // With the same preprocessing the embeddings are the colour CLIP's, and so is every figure.
      if (LAYOUT_VARIANTS[variant].preprocess.resizeMode === 'shortest') {
        const reference = runClipsortJson<EvalJson>([
          'eval',
          root,
          '--classes',
          '--model-dir',
          colourModelDir,
        ]);
        expect(evaluation.modes).toEqual(reference.modes);
      }
      const search = runClipsortJson<{ results: { file: string }[] }>([
        'search',
        root,
        'a photo of a green',
        '--limit',
        '3',
        ...model,
      ]);
      expect(search.results).toHaveLength(3);
      for (const result of search.results) expect(result.file).toMatch(/green/);
    },
  );

  it('scores texts as the model states: a sigmoid with its bias for SigLIP, a softmax for CLIP', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    // Grey is near no colour: each sigmoid says so, while a softmax still shares 1 among the colours.
    await writeColourImage(path.join(root, 'Images/grey.png'), [128, 128, 128], { clutter: 0 });
    const sums = async (variant: LayoutVariant) => {
      const model = ['--model-dir', await colourModelIn(variant)];
      const { predictions } = runClipsortJson<{ predictions: { scores: Record<string, number> }[] }>([
        'classify',
        root,
        '--mode',
        'text',
        ...model,
      ]);
      return predictions.map(({ scores }) => Object.values(scores).reduce((a, b) => a + b, 0));
    };
    // A softmax shares 1 among the classes; sigmoids score each class on its own.
    for (const sum of await sums('immich-clip')) expect(sum).toBeCloseTo(1, 6);
    expect(Math.min(...(await sums('immich-siglip')))).toBeLessThan(0.01);
  });

  it('files red and blue photos under Classes/rojo and Classes/azul in text mode with the multilingual models', async () => {
    const outcome = async (modelDir: string, language = 'es') => {
      const root = await tempDir();
      for (const name of ['rojo', 'azul']) await mkdir(path.join(root, 'Classes', name), { recursive: true });
      await mkdir(path.join(root, 'Dataset'), { recursive: true });
      await writeColourImage(path.join(root, 'Images/tomate.jpg'), [210, 35, 30], {
        width: 320,
        height: 240,
      });
      await writeColourImage(path.join(root, 'Images/cielo.png'), [40, 70, 220], { width: 240, height: 320 });
      const result = runClipsortJson<SortJson>([
        'sort',
        root,
        ...['--model-dir', modelDir, '--mode', 'text', '--class-language', language],
      ]);
      return {
        sorted: Object.fromEntries(result.sorted.map((image) => [image.file, image.class])),
        review: result.review.map((image) => image.file).sort(),
      };
    };
    for (const variant of ['immich-mclip', 'immich-nllb'] as const) {
      expect(await outcome(await colourModelIn(variant))).toEqual({
        sorted: { 'Images/tomate.jpg': 'rojo', 'Images/cielo.png': 'azul' },
        review: [],
      });
    }
    // The English-only model cannot tell the Spanish names apart, nor NLLB told they are English: both wait.
    const unsure = { sorted: {}, review: ['Images/cielo.png', 'Images/tomate.jpg'] };
    expect(await outcome(colourModelDir)).toEqual(unsure);
    expect(await outcome(await colourModelIn('immich-nllb'), 'en')).toEqual(unsure);
  });

  it('imports an Immich folder into the models home with every file, and uses it from there', async () => {
    const home = await tempDir();
    const env = { CLIPSORT_MODELS_HOME: home };
    const source = await colourModelIn('immich-mclip');
    const imported = runClipsortJson<{ id: string; files: { path: string }[] }>(
      ['models', 'import', source, '--id', 'colour-mclip'],
      env,
    );
    expect(imported.files.map((file) => file.path).sort()).toEqual([
      'config.json',
      'textual/model.onnx',
      'textual/tokenizer.json',
      'textual/tokenizer_config.json',
      'visual/model.onnx',
      'visual/preprocess_cfg.json',
    ]);
    const verified = runClipsortJson<{ ok: boolean }>(['models', 'verify', 'colour-mclip'], env);
    expect(verified.ok).toBe(true);
    runClipsortJson(['models', 'use', 'colour-mclip'], env);
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const result = runClipsortJson<SortJson>(['sort', root, '--mode', 'text'], env);
    expect(result.sorted).toHaveLength(expected.length);
  });
});
