import { describe, expect, it } from 'vitest';
import { avgScores, maxScores, textScores } from '../../electron/engine/classify/classifier.js';
import {
  maxSimilarity,
  meanSimilarity,
  rankScores,
  softmax,
  type ClassEmbeddings,
  type ClassScore,
} from '../../electron/engine/classify/scores.js';
import { humanise, promptsFor } from '../../electron/engine/text/prompts.js';
import { v } from './clusters.js';

const x = v(1, 0, 0);
const classes: ClassEmbeddings[] = [
  { name: 'a', references: [v(1, 0, 0), v(0, 1, 0)], text: v(1, 1, 0) },
  { name: 'b', references: [v(0, 0, 1)], text: v(0, 0, 1) },
  { name: 'c', references: [v(1, 1, 0)], text: v(1, 0, 1) },
];
const scoresOf = (scores: ClassScore[]) => scores.map((s) => s.score);

describe('similarities', () => {
  it.each([
    ['mean of one', [v(1, 0, 0)], 1, 1],
    ['mean of two', [v(1, 0, 0), v(0, 1, 0)], 0.5, 1],
    ['opposite', [v(-1, 0, 0)], -1, -1],
    ['mixed', [v(1, 1, 0), v(-1, 0, 0), v(0, 0, 1)], (Math.SQRT1_2 - 1) / 3, Math.SQRT1_2],
  ])('%s', (_, references, mean, max) => {
    expect(meanSimilarity(x, references)).toBeCloseTo(mean, 6);
    expect(maxSimilarity(x, references)).toBeCloseTo(max, 6);
  });

  it.each([
    [
      [0, 0],
      [0.5, 0.5],
    ],
    [
      [1000, 0],
      [1, 0],
    ],
    [
      [Math.log(3), 0, 0],
      [0.6, 0.2, 0.2],
    ],
    [
      [-1000, -1001],
      [1 / (1 + Math.exp(-1)), 1 / (1 + Math.E)],
    ],
  ])('softmax(%j) = %j, stable for large logits', (logits, expected) => {
    const p = softmax(logits);
    p.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });
});

describe('score of each mode', () => {
  // Cosines of x to the prompts: a √½, b 0, c √½ → probabilities at logit scale 100.
  const e = Math.exp(-100 * Math.SQRT1_2);
  it.each([
    ['avg', avgScores, [0.5, 0, Math.SQRT1_2]],
    ['max', maxScores, [1, 0, Math.SQRT1_2]],
    ['text', textScores, [1 / (2 + e), e / (2 + e), 1 / (2 + e)]],
  ] as const)('%s', (_, scores, expected) => {
    const result = scores(x, classes);
    expect(result.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    scoresOf(result).forEach((score, i) => expect(score).toBeCloseTo(expected[i]!, 6));
    expect(result.every((s) => !s.fellBack)).toBe(true);
  });

  it.each([
    // Alone, a class without references gets its raw prompt cosine.
    ['alone', [{ name: 'b', references: [], text: v(1, 0, 0) }], [1]],
    // Beside others, its prompt cosine is shifted by the mean (image score − prompt cosine) of the others:
    // a: 0.5 − √½, c: √½ − √½ → shift (0.5 − √½) / 2, b's cosine 0.
    [
      'shifted',
      [classes[0]!, { ...classes[1]!, references: [] }, classes[2]!],
      [0.5, (0.5 - Math.SQRT1_2) / 2, Math.SQRT1_2],
    ],
    // Classes without a prompt do not count towards the shift.
    [
      'no prompt',
      [
        { ...classes[0]!, text: undefined },
        { ...classes[1]!, references: [] },
      ],
      [0.5, 0],
    ],
  ])('avg falls back to the prompt for a class without references (%s), and says so', (_, set, expected) => {
    const result = avgScores(x, set);
    scoresOf(result).forEach((score, i) => expect(score).toBeCloseTo(expected[i]!, 6));
    expect(result.map((s) => s.fellBack)).toEqual(set.map((c) => c.references.length === 0));
  });

  it('the shift lets a class without references win the images its prompt fits best', () => {
    // Image↔image cosines high, image↔text low, as with CLIP: the raw prompt cosine of "new" (0.3) could never
    // beat the others' image cosines (0.6); shifted, it does.
    const image = v(1, 0, 0, 0);
    const set: ClassEmbeddings[] = [
      { name: 'old', references: [v(0.6, 0.8, 0, 0)], text: v(0.1, 0, 0.99, 0) },
      { name: 'new', references: [], text: v(0.3, 0, 0, 0.95) },
    ];
    expect(rankScores(maxScores(image, set)).best).toBe('new');
  });

  it('a class with neither references nor a prompt is an error that names it', () => {
    expect(() => avgScores(x, [{ name: 'lost', references: [] }])).toThrow(
      /lost has neither references nor a prompt/,
    );
    expect(() => textScores(x, [{ name: 'mute', references: [x] }])).toThrow(/mute has no prompt embedding/);
  });
});

describe('ranking', () => {
  const score = (name: string, s: number): ClassScore => ({ name, score: s, fellBack: false });
  it.each([
    ['clear winner', [score('a', 0.2), score('b', 0.9), score('c', 0.5)], 'b', 0.9, 0.4],
    ['tie goes to the earlier class', [score('a', 0.5), score('b', 0.5)], 'a', 0.5, 0],
    ['one class: the margin is the whole score', [score('only', 0.7)], 'only', 0.7, 0.7],
    ['negative scores', [score('a', -0.4), score('b', -0.1)], 'b', -0.1, 0.3],
  ])('%s', (_, scores, best, top, margin) => {
    const ranking = rankScores(scores);
    expect(ranking.best).toBe(best);
    expect(ranking.score).toBeCloseTo(top, 9);
    expect(ranking.margin).toBeCloseTo(margin, 9);
    expect(ranking.scores).toBe(scores);
  });

  it('refuses to rank no classes', () => {
    expect(() => rankScores([])).toThrow(/no classes/);
  });
});

describe('prompts from folder names', () => {
  it.each([
    ['wild_animals', 'wild animals'],
    ['DogsAndCats', 'dogs and cats'],
    ['2019-beach.trip', '2019 beach trip'],
    ['  spaced   out ', 'spaced out'],
    ['café', 'café'],
    ['interior de casa', 'interior de casa'],
  ])('humanise(%j) = %j', (name, expected) => {
    expect(humanise(name)).toBe(expected);
  });

  it('fills every template with the humanised name', () => {
    const prompts = promptsFor('wild_animals');
    expect(prompts.length).toBeGreaterThan(3);
    expect(prompts[0]).toBe('a photo of a wild animals.');
    for (const p of prompts) expect(p).toContain('wild animals');
  });
});
