import { describe, expect, it } from 'vitest';
import { rankScores, relevanceFloor, searchPrompts } from '../../electron/engine/evaluate/textSearch.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { PROMPT_TEMPLATES } from '../../electron/engine/text/prompts.js';
import { v } from '../classify/clusters.js';

const scoresOf = (query: Float32Array, vectors: readonly Float32Array[]) =>
  Float64Array.from(vectors, (vector) => dot(query, vector));
/** The `limit` best of `vectors` by their cosine with `query`, the cut taken unless `all`. */
const relevantTo = (query: Float32Array, vectors: readonly Float32Array[], limit: number, all = false) =>
  rankScores(scoresOf(query, vectors), limit, { all });
const closestTo = (query: Float32Array, vectors: readonly Float32Array[], limit: number) =>
  relevantTo(query, vectors, limit, true).hits;

describe('search prompts', () => {
  it('fills every class template with the text as typed', () => {
    const prompts = searchPrompts('Dog on a beach');
    expect(prompts).toHaveLength(PROMPT_TEMPLATES.length);
    expect(prompts[0]).toBe('a photo of a Dog on a beach.');
    expect(prompts).toContain('a close-up photo of a Dog on a beach.');
  });

  it.each([
    ['  dog \n on   a beach ', 'dog on a beach'],
    ['a dog on a beach.', 'dog on a beach'],
    ['An owl', 'owl'],
    ['the Eiffel Tower', 'Eiffel Tower'],
    ['iPhone 3.5 mm jack', 'iPhone 3.5 mm jack'],
    ['a', 'a'],
    ['theatre', 'theatre'],
  ])('tidies %j to %j', (text, words) => {
    expect(searchPrompts(text)[0]).toBe(`a photo of a ${words}.`);
  });
});

describe('closest vectors', () => {
  const vectors = [v(1, 0), v(0, 1), v(1, 1), v(-1, 0), v(1, 1)];

  it('ranks by cosine, best first, up to the limit; ties keep the given order', () => {
    const hits = closestTo(v(1, 0.2), vectors, 4);
    expect(hits.map((h) => h.index)).toEqual([0, 2, 4, 1]);
    expect(hits[0]!.score).toBeCloseTo(1 / Math.hypot(1, 0.2), 6);
    expect(hits[1]!.score).toBeCloseTo(1.2 / Math.hypot(1, 0.2) / Math.SQRT2, 6);
    expect(hits[1]!.score).toBe(hits[2]!.score);
  });

  it('gives every vector when the limit is larger, and none for no vectors', () => {
    expect(closestTo(v(0, 1), vectors, 100)).toHaveLength(5);
    expect(closestTo(v(0, 1), [], 10)).toEqual([]);
  });
});

describe('relevance cut', () => {
  it('keeps the scores that keep two thirds of the lead of the best over the mean', () => {
    // Three matches near 0.3 among ten images near 0.15, as CLIP scores a text against a mixed library.
    const scores = [0.31, 0.3, 0.28, 0.16, 0.15, 0.15, 0.14, 0.16, 0.13, 0.15, 0.14, 0.15, 0.16];
    const floor = relevanceFloor(scores);
    expect(scores.filter((s) => s >= floor)).toEqual([0.31, 0.3, 0.28]);
    // Mean 0.2, best 0.8: the floor is 0.6.
    expect(relevanceFloor([0.8, 0, 0, 0])).toBeCloseTo(0.6, 9);
  });

  it('always keeps the best, and cuts nothing from scores that do not spread', () => {
    expect(relevanceFloor([1, 1, 1, 0])).toBeLessThan(1);
    expect(relevanceFloor([0.2, 0.2, 0.2])).toBeCloseTo(0.2, 9);
    expect(relevanceFloor([-0.5])).toBe(-0.5);
    expect(relevanceFloor([])).toBe(-Infinity);
  });

  const vectors = [v(1, 0), v(0.9, 0.1), v(0, 1), v(-1, 0), v(-1, 1), v(0.1, 1)];

  it('lists the relevant of the closest, and counts those the cut left out', () => {
    const { hits, cut } = relevantTo(v(1, 0), vectors, 10);
    expect(hits.map((h) => h.index)).toEqual([0, 1]);
    expect(cut).toBe(4);
  });

  it('counts the cut within the limit, and cuts nothing with all', () => {
    expect(relevantTo(v(1, 0), vectors, 3).cut).toBe(1);
    const every = relevantTo(v(1, 0), vectors, 10, true);
    expect(every.hits).toHaveLength(6);
    expect(every.cut).toBe(0);
    expect(relevantTo(v(1, 0), [], 10)).toEqual({ hits: [], cut: 0 });
  });
});

describe('the best of a large library', () => {
  it('are those a full sort ranks first, ties by order, whatever the limit', () => {
    // Scores on a coarse grid, so that many tie.
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 * Math.PI;
    const vectors = Array.from({ length: 3000 }, () => {
      const angle = Math.round(next() * 40) / 40;
      return v(Math.cos(angle), Math.sin(angle));
    });
    const query = v(1, 0);
    const all = closestTo(query, vectors, vectors.length);
    const sorted = [...all].sort((a, b) => b.score - a.score || a.index - b.index);
    expect(all).toEqual(sorted);
    for (const limit of [1, 7, 60, 700, 2999]) {
      expect(closestTo(query, vectors, limit)).toEqual(sorted.slice(0, limit));
    }
    expect(new Set(sorted.slice(0, 200).map((hit) => hit.score)).size).toBeLessThan(200);
  });
});
