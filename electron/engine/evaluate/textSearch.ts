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
  language?: string,
): Promise<Float32Array> {
  const [vector] = await model.embedPromptSets([searchPrompts(text)], language);
  return vector!;
}

export interface SearchHit {
  index: number;
  score: number;
}

/**
 * How much of the best image's lead over the library's mean score an image must keep to count as relevant.
 */
const RELEVANT_SHARE = 2 / 3;

/**
 * The lowest score a text search lists as relevant. CLIP's text–image cosines sit in a narrow band whose level
 * depends on the model and the text (about 0.15–0.35 for real models), so no fixed number means "a match": the
 * cut is relative to this text's scores over the whole library. The best image's lead over the mean (the
 * typical image) says how well the text matches anything; an image is kept while it keeps `RELEVANT_SHARE` of
 * that lead, so the floor stays above the mean and within a margin of the best whatever the model. The best
 * image always passes, and scores that do not spread cut nothing.
 */
export function relevanceFloor(scores: readonly number[]): number {
  if (scores.length === 0) return -Infinity;
  let [sum, best] = [0, -Infinity];
  for (const score of scores) [sum, best] = [sum + score, Math.max(best, score)];
  const mean = sum / scores.length;
  return Math.min(best, mean + RELEVANT_SHARE * (best - mean));
}

/**
 * The `limit` vectors most similar to `query`, less those under the relevance floor unless `all`; `cut` is how
 * many of the `limit` the floor left out (what `all` would list besides).
 */
export function relevantTo(
  query: Float32Array,
  vectors: readonly Float32Array[],
  limit: number,
  all = false,
): { hits: SearchHit[]; cut: number } {
  const ranked = closestTo(query, vectors, vectors.length);
  const listed = ranked.slice(0, limit);
  if (all) return { hits: listed, cut: 0 };
  const floor = relevanceFloor(ranked.map((hit) => hit.score));
  const hits = listed.filter((hit) => hit.score >= floor);
  return { hits, cut: listed.length - hits.length };
}

/** The `limit` vectors most similar to `query` (cosines of unit vectors), best first; ties keep the given order. */
export function closestTo(query: Float32Array, vectors: readonly Float32Array[], limit: number): SearchHit[] {
  const hits = vectors.map((v, index) => ({ index, score: dot(query, v) }));
  return hits.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, limit);
}
