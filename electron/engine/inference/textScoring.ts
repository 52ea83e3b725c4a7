/** How a model scores texts against images; each model states its own (see modelFiles.ts). */

/**
 * How a model turns image–text cosines into class scores: CLIP's softmax over the classes of `scale` × cosine
 * (its learned temperature), or SigLIP's sigmoid of `scale` × cosine + `bias` for each class on its own.
 */
export interface TextScoring {
  kind: 'softmax' | 'sigmoid';
  scale: number;
  bias: number;
}

/**
 * OpenAI CLIP's learned temperature: its logits are 100 × cosine. Softmax at this scale turns cosines that
 * differ by a few hundredths (image↔text) into probabilities that differ clearly. Used where a model states none.
 */
export const CLIP_SCORING: TextScoring = { kind: 'softmax', scale: 100, bias: 0 };
