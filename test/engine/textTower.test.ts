import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import type { SessionProcess } from '../../electron/engine/inference/sessionProcess.js';
import type { WireTensor } from '../../electron/engine/inference/sessionProtocol.js';
import { TextTower } from '../../electron/engine/inference/textTower.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { ClipTokenizer } from '../../electron/engine/text/tokenizer.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeVitB32Model } from '../tools/writeVitB32Model.js';
import type { VitClipConfig } from '../tools/vitB32.js';

const DIMS = 4;

/**
 * A text tower over onnxruntime's wire: each row's embedding is `pool` of its ids (padding included), and it
 * refuses other lengths than `fixed` when set. Records the length of every batch.
 */
function fakeTower(pool: (ids: number[]) => number[], fixed?: number) {
  const lengths: number[] = [];
  const session = {
    inputNames: ['input_ids'],
    inputType: () => 'int64',
    run: (feeds: Record<string, WireTensor>) => {
      const [count, length] = feeds.input_ids!.dims as [number, number];
      lengths.push(length);
      if (fixed !== undefined && length !== fixed) return Promise.reject(new Error('Got invalid dimensions'));
      const ids = Array.from(feeds.input_ids!.data as BigInt64Array, Number);
      const data = new Float32Array(count * DIMS);
      for (let row = 0; row < count; row++)
        data.set(pool(ids.slice(row * length, (row + 1) * length)), row * DIMS);
      return Promise.resolve({ text_embeds: { type: 'float32', data, dims: [count, DIMS] } });
    },
  } as unknown as SessionProcess;
  return { tower: { session, input: 'input_ids', output: 'text_embeds' }, lengths };
}

/** Pools at the end token (the highest id), as CLIP does: padding after it changes nothing. */
const atEnd = (ids: number[]) => {
  const end = ids.indexOf(Math.max(...ids));
  return [1, end, ids.slice(0, end).reduce((a, b) => a + b, 0) % 97, 3];
};
/** Averages over every position, padding too: shorter padding changes the embedding. */
const overAll = (ids: number[]) => [1, ids.reduce((a, b) => a + b, 0) / ids.length, ids.length, 2];

describe('the text tower', () => {
  const tempDir = useTempDirs();
  const texts = ['a photo of a red.', 'a photo of a dark green thing.'];

  async function encoder(pool: (ids: number[]) => number[], fixed?: number) {
    const tokenizer = await ClipTokenizer.load(colourModelDir);
    const fake = fakeTower(pool, fixed);
    return {
      tower: new TextTower(fake.tower, tokenizer),
      lengths: fake.lengths,
      context: tokenizer.contextLength,
    };
  }

  it('cuts the padding once a batch shows the embeddings stay the same', async () => {
    const { tower, lengths, context } = await encoder(atEnd);
    const first = await tower.embed(texts, 'en');
    const longest = Math.max(...lengths.slice(1));
    expect(lengths).toEqual([context, longest]);
    expect(longest).toBeLessThan(context / 2);
    const again = await tower.embed(texts, 'en');
    expect(lengths.slice(2)).toEqual([longest]);
    again.forEach((embedding, i) => expect(dot(embedding, first[i]!)).toBeCloseTo(1, 6));
  });

  it.each([
    ['refuses shorter ids', atEnd, 77],
    ['pools over the padding', overAll, undefined],
  ])('keeps the full length for a tower that %s', async (_, pool, fixed) => {
    const { tower, lengths, context } = await encoder(pool, fixed);
    const first = await tower.embed(texts, 'en');
    const again = await tower.embed(texts, 'en');
    expect(lengths.slice(2)).toEqual([context]);
    again.forEach((embedding, i) => expect(dot(embedding, first[i]!)).toBeCloseTo(1, 6));
  });

  it('decides only from a batch that could be shorter', async () => {
    const { tower, lengths, context } = await encoder(atEnd);
    await tower.embed(['word '.repeat(100)], 'en');
    expect(lengths).toEqual([context]);
    await tower.embed(texts, 'en');
    expect(lengths.slice(1)).toEqual([context, lengths[2]]);
    expect(lengths[2]).toBeLessThan(context);
  });

  it("gives a ViT's embeddings at full length, by a model that takes any", async () => {
    const config: VitClipConfig = {
      vision: { imageSize: 32, patchSize: 8, width: 24, layers: 2, heads: 3, mlpWidth: 96 },
      text: { contextLength: 77, vocabSize: 1000, width: 16, layers: 2, heads: 2, mlpWidth: 64 },
      projectionDim: 8,
      seed: 7,
    };
    const dir = path.join(await tempDir(), 'vit');
    writeVitB32Model(dir, { config });
    const model = await ClipModel.load(dir, { threads: 1 });
    try {
      const prompts = ['a photo of a red.', 'a bright photo of a dog on a beach.', 'a cat.'];
      const full = await model.embedTexts(prompts);
      const cut = await model.embedTexts(prompts);
      const alone = await model.embedTexts([prompts[2]!]);
      cut.forEach((embedding, i) => expect(dot(embedding, full[i]!)).toBeGreaterThan(0.99999));
      expect(dot(alone[0]!, full[2]!)).toBeGreaterThan(0.99999);
      expect(dot(full[0]!, full[1]!)).toBeLessThan(0.999);
    } finally {
      await model.dispose();
    }
  });
});
