/**
 * Finding images by a text. The text is embedded the way a class name is, through the prompt templates, and the
 * embeddings averaged: "dog on a beach" becomes "a photo of a dog on a beach.", "a close-up photo of a dog on a
 * beach.", and so on, which CLIP matches better than bare words. Unlike a folder name, the text is kept as typed
 * (not split at capitals or dots); only white space is tidied, a leading article dropped ("a dog" would read "a
 * photo of a a dog.") and a closing full stop left to the templates.
 *
 * Ranking the library's scores against a query, a text's or an image's: the best few of 100,000 and the relevance
 * cut, which needs only the scores' sum and maximum.
 */
import type { ClipModel } from '../inference/clipModel.js';
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

export interface RankOptions {
  /** List every one of the `limit` best, the barely related too. */
  all?: boolean;
  /** A row to leave out of the ranking and of the cut: the image searched by. */
  skip?: number;
  /**
   * Scores from which an image counts as a near-copy of the query: listed, but not taken as the best match that
   * the cut measures from (see `relevanceFloor`).
   */
  copies?: number;
}

/**
 * The lowest score a search lists as relevant. CLIP's text–image cosines sit in a narrow band whose level
 * depends on the model and the text (about 0.15–0.35 for real models), so no fixed number means "a match": the
 * cut is relative to this query's scores over the whole library. The best image's lead over the mean (the
 * typical image) says how well the query matches anything; an image is kept while it keeps `RELEVANT_SHARE` of
 * that lead, so the floor stays above the mean and within a margin of the best whatever the model. The best
 * image always passes, and scores that do not spread cut nothing.
 *
 * Image–image cosines sit much higher (about 0.5 for unrelated photos, 0.7–0.9 for one subject), and being
 * relative the floor follows them; but a near-copy of the image (a duplicate, a resized or re-encoded one, at
 * 0.95 and over) would set the lead, and the floor would rise to the copies alone and cut the photos of the
 * same subject. So scores from `copies` on are left out of the sum and the maximum (they pass anyway): the lead
 * is the best other image's. Scores all copies: the floor is `copies`.
 */
export function relevanceFloor(
  scores: ArrayLike<number>,
  { skip = -1, copies = Infinity }: RankOptions = {},
): number {
  let [sum, best, count, anyCopy] = [0, -Infinity, 0, false];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (i === skip) continue;
    if (score >= copies) {
      anyCopy = true;
      continue;
    }
    [sum, best, count] = [sum + score, Math.max(best, score), count + 1];
  }
  if (count === 0) return anyCopy ? copies : -Infinity;
  const mean = sum / count;
  return Math.min(best, mean + RELEVANT_SHARE * (best - mean));
}

/**
 * The `limit` best of `scores` (one per row of the library), less those under the relevance floor unless `all`;
 * `cut` is how many of the `limit` the floor left out (what `all` would list besides).
 */
export function rankScores(
  scores: Float64Array,
  limit: number,
  options: RankOptions = {},
): { hits: SearchHit[]; cut: number } {
  const listed = best(scores, limit, options.skip);
  if (options.all) return { hits: listed, cut: 0 };
  const floor = relevanceFloor(scores, options);
  const hits = listed.filter((hit) => hit.score >= floor);
  return { hits, cut: listed.length - hits.length };
}

/** Whether hit a ranks before hit b: higher score, then lower index. */
const before = (scores: Float64Array, a: number, b: number) =>
  scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);

/**
 * The `limit` highest scores but the one at `skip`, best first (ties by index). A search lists a few dozen of
 * 100,000 images, so the best are kept in a heap of `limit` (the worst kept on top) rather than all of them
 * sorted.
 */
function best(scores: Float64Array, limit: number, skip = -1): SearchHit[] {
  const n = scores.length;
  let kept: number[];
  if (limit * 4 >= n) {
    kept = Array.from({ length: n }, (_, i) => i).filter((i) => i !== skip);
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
      if (i === skip) continue;
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
