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
export function relevanceFloor(scores: ArrayLike<number>): number {
  if (scores.length === 0) return -Infinity;
  let [sum, best] = [0, -Infinity];
  for (let i = 0; i < scores.length; i++) [sum, best] = [sum + scores[i]!, Math.max(best, scores[i]!)];
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
  const scores = Float64Array.from(vectors, (v) => dot(query, v));
  const listed = best(scores, limit);
  if (all) return { hits: listed, cut: 0 };
  const floor = relevanceFloor(scores);
  const hits = listed.filter((hit) => hit.score >= floor);
  return { hits, cut: listed.length - hits.length };
}

/** The `limit` vectors most similar to `query` (cosines of unit vectors), best first; ties keep the given order. */
export function closestTo(query: Float32Array, vectors: readonly Float32Array[], limit: number): SearchHit[] {
  return best(
    Float64Array.from(vectors, (v) => dot(query, v)),
    limit,
  );
}

/** Whether hit a ranks before hit b: higher score, then lower index. */
const before = (scores: Float64Array, a: number, b: number) =>
  scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);

/**
 * The `limit` highest scores, best first (ties by index). A search lists a few dozen of 100,000 images, so the
 * best are kept in a heap of `limit` (the worst kept on top) rather than all of them sorted.
 */
function best(scores: Float64Array, limit: number): SearchHit[] {
  const n = scores.length;
  let kept: number[];
  if (limit * 4 >= n) {
    kept = Array.from({ length: n }, (_, i) => i);
  } else {
    const heap: number[] = [];
    const worse = (a: number, b: number) => before(scores, b, a);
    const siftDown = (at: number) => {
      for (;;) {
        const [l, r] = [2 * at + 1, 2 * at + 2];
        let top = at;
        if (l < heap.length && worse(heap[l]!, heap[top]!)) top = l;
        if (r < heap.length && worse(heap[r]!, heap[top]!)) top = r;
        if (top === at) return;
        [heap[at], heap[top]] = [heap[top]!, heap[at]!];
        at = top;
      }
    };
    for (let i = 0; i < n; i++) {
      if (heap.length < limit) {
        heap.push(i);
        for (let at = heap.length - 1; at > 0 && worse(heap[at]!, heap[(at - 1) >> 1]!); at = (at - 1) >> 1) {
          [heap[at], heap[(at - 1) >> 1]] = [heap[(at - 1) >> 1]!, heap[at]!];
        }
      } else if (before(scores, i, heap[0]!)) {
        heap[0] = i;
        siftDown(0);
      }
    }
    kept = heap;
  }
  return kept
    .sort((a, b) => (before(scores, a, b) ? -1 : before(scores, b, a) ? 1 : 0))
    .slice(0, limit)
    .map((index) => ({ index, score: scores[index]! }));
}
