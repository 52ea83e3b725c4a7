import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipTokenizer } from '../../electron/engine/text/tokenizer.js';
import { hasSharedFixtures, sharedFixtures, sharedTitle } from '../helpers/sharedFixtures.js';

interface Vectors {
  context_length: number;
  cases: { name: string; text: string; ids: number[]; ids_77?: number[] }[];
  published_cross_checks: { text: string; published_ids: number[] }[];
  padded_examples: { text: string; hf_eot_pad_77: number[]; hf_attention_mask_77: number[] };
}

const dir = path.join(sharedFixtures, 'clip-tokenizer');
const present = hasSharedFixtures('clip-tokenizer');
const vectors = present
  ? (JSON.parse(readFileSync(path.join(dir, 'vectors.json'), 'utf8')) as Vectors)
  : { context_length: 77, cases: [], published_cross_checks: [], padded_examples: undefined };

describe.skipIf(!present)(sharedTitle('tokenizer parity with the CLIP tokenizer', 'clip-tokenizer'), () => {
  // The shared folder is the tokenizer's own layout (tokenizer.json + tokenizer_config.json).
  const tokenizer = present ? ClipTokenizer.load(dir) : Promise.reject(new Error('absent'));

  it('reads the context length and the pad token', async () => {
    const t = await tokenizer;
    expect(t.contextLength).toBe(vectors.context_length);
    expect(t.padId).toBe(49407);
  });

  it.each(vectors.cases)('$name gives the listed ids', async ({ text, ids, ids_77 }) => {
    const t = await tokenizer;
    expect(t.encode(text)).toEqual(ids_77 ?? ids);
  });

  it.each(vectors.published_cross_checks)('published: "$text"', async ({ text, published_ids }) => {
    expect((await tokenizer).encode(text)).toEqual(published_ids);
  });

  it('pads a batch to the context length with the end token and masks the padding', async () => {
    const t = await tokenizer;
    const example = vectors.padded_examples!;
    const batch = t.encodeBatch([example.text, 'a photo of a dog']);
    expect(batch.length).toBe(77);
    expect(Array.from(batch.ids.subarray(0, 77), Number)).toEqual(example.hf_eot_pad_77);
    expect(Array.from(batch.attentionMask.subarray(0, 77), Number)).toEqual(example.hf_attention_mask_77);
  });
});
