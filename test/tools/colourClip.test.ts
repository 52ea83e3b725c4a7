import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, Tensor, type InferenceSession } from '../../electron/engine/inference/onnxRuntime.js';
import { COLOUR_CLIP_CONTEXT, COLOUR_CLIP_DIMENSION, COLOUR_WORDS, PROMPT_WORDS } from './colourClip.js';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, TEXT_MODEL_FILE, VISION_MODEL_FILE } from './onnx/clipFolder.js';
import { contextIds, loadTokenizer, type TextTokenizer } from './onnx/clipTokenizer.js';
import { SeededRandom } from './onnx/seededRandom.js';
import { COLOUR_CLIP_FOLDER, writeColourClip } from './writeColourClip.js';

type Rgb = readonly [number, number, number];

const SIZE = 224;
const CLASSES = ['red', 'green', 'blue', 'yellow'] as const;
const TEMPLATES = [
  'a photo of a {}.',
  '{}',
  'a picture of something {}',
  'wild {}',
  'A close up photo of the {}!',
];

/** Typical colours of mostly red, green, blue and yellow photos (not pure primaries). */
const TYPICAL: Record<(typeof CLASSES)[number], Rgb> = {
  red: [0.85, 0.15, 0.12],
  green: [0.2, 0.7, 0.25],
  blue: [0.15, 0.25, 0.8],
  yellow: [0.92, 0.85, 0.2],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .map((file) => relative(dir, join(dir, file)))
    .sort();
}

/**
 * A CLIP-normalised CHW image: each pixel is `rgb` plus uniform noise of ±`noise`, and a share `outliers` of the
 * pixels is a random colour; values are rounded to 8 bits like a decoded photo.
 */
function image(rgb: Rgb, { noise = 0, outliers = 0, seed = 1 } = {}): Float32Array {
  const random = new SeededRandom(seed);
  const plane = SIZE * SIZE;
  const pixels = new Float32Array(3 * plane);
  for (let pixel = 0; pixel < plane; pixel++) {
    const outlier = (random.symmetric() + 1) / 2 < outliers;
    for (let channel = 0; channel < 3; channel++) {
      const value = outlier ? (random.symmetric() + 1) / 2 : rgb[channel]! + random.symmetric() * noise;
      const byte = Math.round(Math.min(1, Math.max(0, value)) * 255);
      pixels[channel * plane + pixel] = (byte / 255 - CLIP_IMAGE_MEAN[channel]!) / CLIP_IMAGE_STD[channel]!;
    }
  }
  return pixels;
}

function normalise(vector: Float32Array): Float32Array {
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}

function cosine(a: Float32Array, b: Float32Array): number {
  const [x, y] = [normalise(a), normalise(b)];
  return x.reduce((sum, value, index) => sum + value * y[index]!, 0);
}

function rows(data: Float32Array, width: number): Float32Array[] {
  return Array.from({ length: data.length / width }, (_, row) => data.slice(row * width, (row + 1) * width));
}

/** The classes sorted by similarity, best first, with their scores. */
function ranking(embedding: Float32Array, byClass: Record<string, Float32Array>): [string, number][] {
  return Object.entries(byClass)
    .map(([name, other]): [string, number] => [name, cosine(embedding, other)])
    .sort((a, b) => b[1] - a[1]);
}

describe('the committed colour-clip folder', () => {
  it('is byte for byte what the generator writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'colour-clip-'));
    try {
      writeColourClip(dir);
      expect(filesUnder(COLOUR_CLIP_FOLDER)).toEqual(filesUnder(dir));
      for (const file of filesUnder(dir)) {
        expect(readFileSync(join(COLOUR_CLIP_FOLDER, file)).equals(readFileSync(join(dir, file))), file).toBe(
          true,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is small', () => {
    const bytes = filesUnder(COLOUR_CLIP_FOLDER).reduce(
      (sum, file) => sum + statSync(join(COLOUR_CLIP_FOLDER, file)).size,
      0,
    );
    expect(bytes).toBeLessThan(200_000);
  });
});

describe('colour-clip through onnxruntime', () => {
  let vision: InferenceSession;
  let text: InferenceSession;
  let tokenizer: TextTokenizer;

  beforeAll(async () => {
    vision = await openSession(join(COLOUR_CLIP_FOLDER, VISION_MODEL_FILE), { threads: 1 });
    text = await openSession(join(COLOUR_CLIP_FOLDER, TEXT_MODEL_FILE), { threads: 1 });
    const json = (file: string): Record<string, unknown> =>
      JSON.parse(readFileSync(join(COLOUR_CLIP_FOLDER, file), 'utf8')) as Record<string, unknown>;
    tokenizer = loadTokenizer({ tokenizer: json('tokenizer.json'), config: json('tokenizer_config.json') });
  });

  afterAll(async () => {
    await vision.release();
    await text.release();
  });

  async function embedImages(images: Float32Array[]): Promise<Float32Array[]> {
    const batch = new Float32Array(images.length * 3 * SIZE * SIZE);
    images.forEach((pixels, index) => batch.set(pixels, index * pixels.length));
    const result = await vision.run({
      pixel_values: new Tensor('float32', batch, [images.length, 3, SIZE, SIZE]),
    });
    expect(result.image_embeds!.dims).toEqual([images.length, COLOUR_CLIP_DIMENSION]);
    return rows(result.image_embeds!.data as Float32Array, COLOUR_CLIP_DIMENSION);
  }

  async function embedIds(ids: BigInt64Array[]): Promise<Float32Array[]> {
    const batch = new BigInt64Array(ids.length * COLOUR_CLIP_CONTEXT);
    ids.forEach((row, index) => batch.set(row, index * COLOUR_CLIP_CONTEXT));
    const result = await text.run({
      input_ids: new Tensor('int64', batch, [ids.length, COLOUR_CLIP_CONTEXT]),
    });
    expect(result.text_embeds!.dims).toEqual([ids.length, COLOUR_CLIP_DIMENSION]);
    return rows(result.text_embeds!.data as Float32Array, COLOUR_CLIP_DIMENSION);
  }

  const embedTexts = (prompts: string[]): Promise<Float32Array[]> =>
    embedIds(prompts.map((prompt) => contextIds(tokenizer, prompt, COLOUR_CLIP_CONTEXT)));

  /** One embedding per class and template. */
  async function promptEmbeddings(template: string): Promise<Record<string, Float32Array>> {
    const embeddings = await embedTexts(CLASSES.map((name) => template.replace('{}', name)));
    return Object.fromEntries(CLASSES.map((name, index) => [name, embeddings[index]!]));
  }

  const testImages = CLASSES.flatMap((name, index) => [
    { name, kind: 'solid', pixels: image(TYPICAL[name]) },
    { name, kind: 'dark', pixels: image(TYPICAL[name].map((value) => value * 0.4) as unknown as Rgb) },
    { name, kind: 'noisy', pixels: image(TYPICAL[name], { noise: 0.3, outliers: 0.3, seed: 10 + index }) },
  ]);

  it('knows every colour word and every prompt word as one token', () => {
    for (const word of [...Object.keys(COLOUR_WORDS), ...PROMPT_WORDS]) {
      expect(tokenizer.encode(word).ids, word).toHaveLength(3);
    }
    expect(tokenizer.encode('RED').ids).toEqual(tokenizer.encode('red').ids);
  });

  it.each(TEMPLATES)('finds the colour of each image from the prompt "%s"', async (template) => {
    const prompts = await promptEmbeddings(template);
    const embeddings = await embedImages(testImages.map(({ pixels }) => pixels));
    testImages.forEach(({ name, kind }, index) => {
      const [[best, bestScore], [, second]] = ranking(embeddings[index]!, prompts) as [
        [string, number],
        [string, number],
      ];
      expect(best, `${kind} ${name}`).toBe(name);
      expect(bestScore - second, `${kind} ${name}`).toBeGreaterThan(0.3);
    });
  });

  it('finds the colour of each image from reference images of each class', async () => {
    const references = await embedImages(CLASSES.map((name) => image(COLOUR_WORDS[name])));
    const byClass = Object.fromEntries(CLASSES.map((name, index) => [name, references[index]!]));
    const embeddings = await embedImages(testImages.map(({ pixels }) => pixels));
    testImages.forEach(({ name, kind }, index) => {
      expect(ranking(embeddings[index]!, byClass)[0]![0], `${kind} ${name}`).toBe(name);
    });
  });

  it('finds a grey image equally near every colour', async () => {
    const prompts = await promptEmbeddings('a photo of a {}.');
    const greys = await embedImages([
      image([0.5, 0.5, 0.5]),
      image([0.5, 0.5, 0.5], { noise: 0.2, seed: 3 }),
    ]);
    for (const grey of greys) {
      const scores = ranking(grey, prompts).map(([, score]) => score);
      expect(scores[0]! - scores[1]!).toBeLessThan(0.01);
      expect(scores[0]! - scores.at(-1)!).toBeLessThan(0.02);
    }
  });

  it('ignores padding and words that are not colours', async () => {
    const padded = contextIds(tokenizer, 'a photo of a red.', COLOUR_CLIP_CONTEXT);
    const zeroPadded = padded.map((id, index) => (index > 7 ? 0n : id));
    const [withEnd, withZero, bare, cat] = await embedIds([
      padded,
      zeroPadded,
      contextIds(tokenizer, 'red', COLOUR_CLIP_CONTEXT),
      contextIds(tokenizer, 'a photo of a cat', COLOUR_CLIP_CONTEXT),
    ]);
    expect(withZero).toEqual(withEnd);
    expect(bare).toEqual(withEnd);
    const [grey] = await embedImages([image([0.5, 0.5, 0.5])]);
    expect(cosine(cat!, grey!)).toBeCloseTo(1, 5);
  });
});
