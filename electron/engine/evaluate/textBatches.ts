import type { ClipModel } from '../inference/clipModel.js';

/** Texts per call to the text model: enough to keep it busy, few enough to keep its activations small. */
const TEXT_BATCH = 64;

/** Embeds any number of texts, a batch at a time. */
export async function embedTextsInBatches(
  model: Pick<ClipModel, 'embedTexts'>,
  texts: readonly string[],
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += TEXT_BATCH) {
    vectors.push(...(await model.embedTexts(texts.slice(i, i + TEXT_BATCH))));
  }
  return vectors;
}
