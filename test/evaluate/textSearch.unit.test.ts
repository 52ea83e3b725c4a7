import { describe, expect, it } from 'vitest';
import { closestTo, searchPrompts } from '../../electron/engine/evaluate/textSearch.js';
import { PROMPT_TEMPLATES } from '../../electron/engine/text/prompts.js';
import { v } from '../classify/clusters.js';

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
