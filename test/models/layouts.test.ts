/**
 * Every model layout and export ClipSort reads, through the colour CLIP written in each: the layout is told
 * from the files, input names and types come from the model, the preprocessing is the layout's own (a centre
 * crop, or a squash to the square), M-CLIP's attention mask is fed, and NLLB's language code goes before the text.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeForModel, encodeImage } from '../../electron/engine/imaging/imageCodec.js';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { readModelFiles } from '../../electron/engine/inference/modelFiles.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { checkLayout } from '../../electron/engine/models/modelLayout.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import {
  colourModelIn,
  LAYOUT_VARIANTS,
  SIGLIP_SCORING,
  type LayoutVariant,
} from '../helpers/colourModelLayouts.js';
import { CLIP_SCORING } from '../../electron/engine/classify/scores.js';
import { colourPixels } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const VARIANTS = Object.keys(LAYOUT_VARIANTS) as LayoutVariant[];

/** A 448×224 picture: red in its middle half, blue at both ends (a centre crop sees red only). */
function redMiddleBlueEnds(): Promise<Buffer> {
  const [width, height] = [448, 224];
  const image = colourPixels([230, 25, 25], width, height, 1, 0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= width / 4 && x < (3 * width) / 4) continue;
      image.data.set([25, 25, 230], (y * width + x) * image.channels);
    }
  }
  return encodeImage(image, { format: 'png' });
}

async function embedImage(model: ClipModel, bytes: Buffer, name: string): Promise<Float32Array> {
  const [embedding] = await model.embedImages([await decodeForModel(bytes, model.preprocess, name)]);
  return embedding!;
}

/** The class of `texts` nearest to `image`, by cosine. */
const nearest = (image: Float32Array, texts: readonly Float32Array[], names: readonly string[]) =>
  names[texts.reduce((best, text, i) => (dot(image, text) > dot(image, texts[best]!) ? i : best), 0)];

describe('model layouts', () => {
  const tempDir = useTempDirs();

  it('tells the transformers.js layout from Immich’s', async () => {
    expect(await checkLayout(colourModelDir)).toMatchObject({ layout: 'transformers.js', complete: true });
    for (const variant of VARIANTS) {
      expect(await checkLayout(await colourModelIn(variant))).toEqual({
        layout: 'immich',
        complete: true,
        variants: ['fp32'],
        missing: [],
      });
    }
    const files = await readModelFiles(await colourModelIn('immich-clip'));
    expect(files).toMatchObject({
      vision: 'visual/model.onnx',
      text: 'textual/model.onnx',
      tokenizer: { dir: 'textual', contextLength: 77 },
      preprocess: { resize: { shortestEdge: 224 }, crop: { width: 224, height: 224 } },
    });
    expect(files.scoring).toEqual(CLIP_SCORING);
    const squash = await readModelFiles(await colourModelIn('immich-siglip'));
    expect(squash.scoring).toEqual({
      kind: 'sigmoid',
      scale: SIGLIP_SCORING.logitScale,
      bias: SIGLIP_SCORING.logitBias,
    });
    expect(squash.preprocess).toMatchObject({
      resize: { width: 224, height: 224 },
      crop: null,
      mean: [0.5, 0.5, 0.5],
    });
  });

  it('names what an incomplete Immich folder lacks, and refuses a quantized variant it does not have', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'config.json'), '{}');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'visual'));
    await writeFile(path.join(dir, 'visual/model.onnx'), 'x');
    expect(await checkLayout(dir)).toMatchObject({
      layout: 'immich',
      complete: false,
      missing: ['textual/model.onnx', 'visual/preprocess_cfg.json', 'textual/tokenizer.json'],
    });
    await expect(readModelFiles(await colourModelIn('immich-clip'), { quantized: true })).rejects.toThrow(
      /no quantized encoders in the immich layout \(it has fp32 encoders\)/,
    );
  });

  it.each(VARIANTS)('%s embeds images and texts as the colour CLIP does', async (variant) => {
    const reference = await ClipModel.load(colourModelDir, { threads: 1 });
    const model = await ClipModel.load(await colourModelIn(variant), { threads: 1 });
    try {
      const red = await encodeImage(colourPixels([220, 40, 30], 300, 300, 2, 0), { format: 'png' });
      const [mine, theirs] = [
        await embedImage(model, red, 'red.png'),
        await embedImage(reference, red, 'red.png'),
      ];
      expect(dot(mine, theirs)).toBeGreaterThan(0.999);
      const texts = ['a photo of a red.', 'a photo of a blue.'];
      const [ours, base] = [await model.embedTexts(texts), await reference.embedTexts(texts)];
      for (const [i, text] of ours.entries()) expect(dot(text, base[i]!)).toBeGreaterThan(0.999);
      expect(nearest(mine, ours, ['red', 'blue'])).toBe('red');
    } finally {
      await Promise.all([model.dispose(), reference.dispose()]);
    }
  });

  it('crops the centre or squashes the whole picture, as the layout says', async () => {
    const bytes = await redMiddleBlueEnds();
    const crop = await ClipModel.load(await colourModelIn('immich-clip'), { threads: 1 });
    const squash = await ClipModel.load(await colourModelIn('immich-siglip'), { threads: 1 });
    try {
      const [red, blue] = await crop.embedTexts(['red', 'blue']);
      const cropped = await embedImage(crop, bytes, 'wide.png');
      const squashed = await embedImage(squash, bytes, 'wide.png');
      // The crop sees the red middle only; the squash sees as much blue as red.
      expect(dot(cropped, red!)).toBeGreaterThan(0.9);
      expect(dot(cropped, blue!)).toBeLessThan(0.1);
      expect(dot(squashed, blue!)).toBeGreaterThan(0.3);
      expect(Math.abs(dot(squashed, red!) - dot(squashed, blue!))).toBeLessThan(0.1);
    } finally {
      await Promise.all([crop.dispose(), squash.dispose()]);
    }
  });

  it.each(['immich-mclip', 'immich-nllb'] as const)('%s reads Spanish colour names', async (variant) => {
    const model = await ClipModel.load(await colourModelIn(variant), { threads: 1 });
    try {
      const image = await embedImage(
        model,
        await encodeImage(colourPixels([25, 50, 230], 200, 200, 3, 0), { format: 'png' }),
        'azul.png',
      );
      const names = ['rojo', 'azul', 'verde'];
      const texts = await model.embedTexts(names, 'es');
      expect(nearest(image, texts, names)).toBe('azul');
      expect(dot(image, texts[1]!)).toBeGreaterThan(0.9);
    } finally {
      await model.dispose();
    }
  });

  it('tells NLLB the language of the text, and reads the names as that language', async () => {
    const nllb = await ClipModel.load(await colourModelIn('immich-nllb'), { threads: 1 });
    const plain = await ClipModel.load(await colourModelIn('immich-mclip'), { threads: 1 });
    try {
      const tokens = await nllb.tokenizer();
      // The text tower sees the code as its first token after the start.
      const fed = tokens.encode('spa_Latnrojo');
      expect(fed[1]).toBe(tokens.encode('spa_Latn')[1]);
      expect(fed).toHaveLength(4);
      const [red] = await plain.embedTexts(['rojo']);
      // Told the text is Spanish (with or without a region), the NLLB-style tower reads "rojo" as red…
      for (const language of ['es', 'es-MX']) {
        const [spanish] = await nllb.embedTexts(['rojo'], language);
        expect(dot(spanish!, red!)).toBeGreaterThan(0.999);
      }
      // …told nothing, it reads English and "rojo" means nothing to it; English words it reads either way.
      const [english] = await nllb.embedTexts(['rojo']);
      expect(dot(english!, red!)).toBeLessThan(0.5);
      const [word] = await nllb.embedTexts(['red'], 'es');
      expect(dot(word!, red!)).toBeGreaterThan(0.999);
    } finally {
      await Promise.all([nllb.dispose(), plain.dispose()]);
    }
  });
});
