/**
 * Finding images by a text. The text is embedded the way a class name is, through the prompt templates, and the
 * embeddings averaged: "dog on a beach" becomes "a photo of a dog on a beach.", "a close-up photo of a dog on a
 * beach.", and so on, which CLIP matches better than bare words. Unlike a folder name, the text is kept as typed
 * (not split at capitals or dots); only white space is tidied, a leading article dropped ("a dog" would read "a
 * photo of a a dog.") and a closing full stop left to the templates.
 */
import type { ClipModel } from '../inference/clipModel.js';
import { dot } from '../inference/vectors.js';
import { PROMPT_TEMPLATES } from '../text/prompts.js';

/** The prompts a search text is embedded through. */
export function searchPrompts(text: string): string[] {
  const words = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(a|an|the) (?=\S)/i, '')
    .replace(/\.$/, '');
  return PROMPT_TEMPLATES.map((template) => template.replace('{}', words));
}

/** The text's embedding: the normalised mean of its prompts' embeddings. */
export async function embedSearchText(
  model: Pick<ClipModel, 'embedPromptSets'>,
  text: string,
): Promise<Float32Array> {
  const [vector] = await model.embedPromptSets([searchPrompts(text)]);
  return vector!;
}

export interface SearchHit {
  index: number;
  score: number;
}

/** The `limit` vectors most similar to `query` (cosines of unit vectors), best first; ties keep the given order. */
export function closestTo(query: Float32Array, vectors: readonly Float32Array[], limit: number): SearchHit[] {
  const hits = vectors.map((v, index) => ({ index, score: dot(query, v) }));
  return hits.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, limit);
}
