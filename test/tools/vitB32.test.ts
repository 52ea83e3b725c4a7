import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, Tensor, type InferenceSession } from '../../electron/engine/inference/onnxRuntime.js';
import { TEXT_MODEL_FILE, VISION_MODEL_FILE } from './onnx/clipFolder.js';
import { loadTokenizer } from './onnx/clipTokenizer.js';
import { parameterCount } from './onnx/graphBuilder.js';
import { SeededRandom } from './onnx/seededRandom.js';
import { buildVitTextModel, buildVitVisionModel, VIT_B32_CONFIG, type VitClipConfig } from './vitB32.js';
import { writeVitB32Model } from './writeVitB32Model.js';

/** ViT-B/32's structure at a size that builds and runs in milliseconds. */
const TINY: VitClipConfig = {
  vision: { imageSize: 32, patchSize: 8, width: 24, layers: 2, heads: 3, mlpWidth: 96 },
  text: { contextLength: 12, vocabSize: 1000, width: 16, layers: 2, heads: 2, mlpWidth: 64 },
  projectionDim: 8,
  seed: 7,
};
const START = TINY.text.vocabSize - 2;
const END = TINY.text.vocabSize - 1;

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);
}

describe('the full-size ViT-B/32 graph', () => {
  it('has exactly the parameters of CLIP ViT-B/32', () => {
    // 87,849,216 + 63,428,096 + the logit scale = 151,277,313, the published size of CLIP ViT-B/32.
    expect(parameterCount(buildVitVisionModel(VIT_B32_CONFIG))).toBe(87_849_216);
    expect(parameterCount(buildVitTextModel(VIT_B32_CONFIG))).toBe(63_428_096);
  });

  it('has twelve attention layers in each tower and CLIP-sized embeddings', () => {
    for (const model of [buildVitVisionModel(VIT_B32_CONFIG), buildVitTextModel(VIT_B32_CONFIG)]) {
      expect(model.proto.graph!.node!.filter((node) => node.opType === 'Softmax')).toHaveLength(12);
    }
    const dims = (model: typeof vision, name: string): readonly number[] | undefined =>
      model.initializers.find((initializer) => initializer.name === name)?.dims;
    const vision = buildVitVisionModel(VIT_B32_CONFIG);
    const text = buildVitTextModel(VIT_B32_CONFIG);
    expect(dims(vision, 'vision_model.embeddings.patch_embedding.weight')).toEqual([768, 3, 32, 32]);
    expect(dims(vision, 'vision_model.embeddings.position_embedding.weight')).toEqual([50, 768]);
    expect(dims(text, 'text_model.embeddings.token_embedding.weight')).toEqual([49408, 512]);
    expect(dims(text, 'causal_attention_mask')).toEqual([77, 77]);
  });
});

describe('a tiny ViT through onnxruntime', () => {
  let dir: string;
  let vision: InferenceSession;
  let text: InferenceSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vit-tiny-'));
    writeVitB32Model(dir, { config: TINY });
    vision = await openSession(join(dir, VISION_MODEL_FILE), { threads: 1 });
    text = await openSession(join(dir, TEXT_MODEL_FILE), { threads: 1 });
  });

  afterAll(async () => {
    await vision.release();
    await text.release();
    rmSync(dir, { recursive: true, force: true });
  });

  const { imageSize, patchSize } = TINY.vision;
  const imageLength = 3 * imageSize * imageSize;

  async function embedImages(pixels: Float32Array): Promise<Float32Array> {
    const batch = pixels.length / imageLength;
    const result = await vision.run({
      pixel_values: new Tensor('float32', pixels, [batch, 3, imageSize, imageSize]),
    });
    expect(result.image_embeds!.dims).toEqual([batch, TINY.projectionDim]);
    return result.image_embeds!.data as Float32Array;
  }

  async function embedIds(rows: number[][]): Promise<Float32Array> {
    const ids = BigInt64Array.from(rows.flat(), (id) => BigInt(id));
    const result = await text.run({
      input_ids: new Tensor('int64', ids, [rows.length, rows[0]!.length]),
    });
    expect(result.text_embeds!.dims).toEqual([rows.length, TINY.projectionDim]);
    return result.text_embeds!.data as Float32Array;
  }

  /** start, the given tokens, end, then `tail` (end tokens unless told) to the context length. */
  function sequence(tokens: number[], tail?: number[]): number[] {
    const rest = TINY.text.contextLength - tokens.length - 2;
    return [START, ...tokens, END, ...(tail ?? Array<number>(rest).fill(END))];
  }

  it('embeds each image of a batch on its own', async () => {
    const random = new SeededRandom(1);
    const pixels = Float32Array.from({ length: 2 * imageLength }, () => random.symmetric() * 2);
    const both = await embedImages(pixels);
    const second = await embedImages(pixels.slice(imageLength));
    expect(both.every(Number.isFinite)).toBe(true);
    expect(maxDifference(both.slice(TINY.projectionDim), second)).toBeLessThan(1e-5);
    expect(maxDifference(both.slice(0, TINY.projectionDim), second)).toBeGreaterThan(1e-3);
  });

  it('sees every patch of the image', async () => {
    const pixels = new Float32Array(imageLength);
    const changed = pixels.slice();
    // The bottom-right patch of each channel.
    for (let channel = 0; channel < 3; channel++) {
      for (let y = imageSize - patchSize; y < imageSize; y++) {
        const rowStart = (channel * imageSize + y) * imageSize;
        changed.fill(2, rowStart + imageSize - patchSize, rowStart + imageSize);
      }
    }
    expect(maxDifference(await embedImages(pixels), await embedImages(changed))).toBeGreaterThan(1e-3);
  });

  it('embeds each prompt of a batch on its own', async () => {
    const rows = [sequence([5, 6, 7]), sequence([8])];
    const both = await embedIds(rows);
    expect(both.every(Number.isFinite)).toBe(true);
    expect(maxDifference(both.slice(TINY.projectionDim), await embedIds([rows[1]!]))).toBeLessThan(1e-5);
  });

  it('pools at the end token, so tokens after it change nothing', async () => {
    const [padded, noise, other] = [
      sequence([5, 6, 7]),
      sequence([5, 6, 7], [1, 900, 3, 4, 7, 0, 0]),
      sequence([5, 6, 9]),
    ];
    const embeddings = await embedIds([padded, noise, other]);
    const [a, b, c] = [0, 1, 2].map((row) =>
      embeddings.slice(row * TINY.projectionDim, (row + 1) * TINY.projectionDim),
    ) as [Float32Array, Float32Array, Float32Array];
    expect(maxDifference(a, b)).toBeLessThan(1e-5);
    expect(maxDifference(a, c)).toBeGreaterThan(1e-4);
  });

  it('takes ids of any length up to the context: cutting the padding changes nothing', async () => {
    const full = await embedIds([sequence([5, 6, 7]), sequence([8])]);
    const cut = await embedIds([
      [START, 5, 6, 7, END],
      [START, 8, END, END, END],
    ]);
    expect(maxDifference(full, cut)).toBeLessThan(1e-5);
    expect(maxDifference(full.slice(0, TINY.projectionDim), cut.slice(TINY.projectionDim))).toBeGreaterThan(
      1e-4,
    );
  });

  it('writes a tokenizer whose start and end tokens are the two highest ids', () => {
    const json = (file: string): Record<string, unknown> =>
      JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    const tokenizer = loadTokenizer({
      tokenizer: json('tokenizer.json'),
      config: json('tokenizer_config.json'),
    });
    const ids = tokenizer.encode('a photo of a red.').ids;
    expect(ids[0]).toBe(START);
    expect(ids.at(-1)).toBe(END);
    expect(ids).toHaveLength(8);
    expect(tokenizer.get_vocab(true).size).toBe(TINY.text.vocabSize);
  });

  it('leaves a complete folder alone unless forced', () => {
    expect(writeVitB32Model(dir, { config: TINY }).skipped).toBe(true);
    const before = readFileSync(join(dir, VISION_MODEL_FILE));
    const again = writeVitB32Model(dir, { config: TINY, force: true });
    expect(again.skipped).toBe(false);
    expect(readFileSync(join(dir, VISION_MODEL_FILE)).equals(before)).toBe(true);
    expect(writeVitB32Model(dir, { config: { ...TINY, seed: 8 } }).skipped).toBe(false);
  });
});
