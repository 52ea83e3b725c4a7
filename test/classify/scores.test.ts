import { describe, expect, it } from 'vitest';
import { rankClasses, scoreClass, type ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { l2Normalise } from '../../electron/engine/inference/vectors.js';
import { humanise, promptsFor } from '../../electron/engine/text/prompts.js';

const v = (...xs: number[]) => l2Normalise(Float32Array.from(xs));

describe('class scores', () => {
  const x = v(1, 0, 0);
  const cls: ClassEmbeddings = { name: 'a', references: [v(1, 0, 0), v(0, 1, 0)], text: v(1, 1, 0) };

  it.each([
    ['avg', 0.5],
    ['max', 1],
    ['text', Math.SQRT1_2],
  ] as const)('%s mode', (mode, expected) => {
    const score = scoreClass(x, cls, mode);
    expect(score.score).toBeCloseTo(expected, 6);
    expect(score.fellBack).toBe(false);
  });

  it('an image mode falls back to the prompt for a class without references, and says so', () => {
    const score = scoreClass(x, { name: 'b', references: [], text: v(1, 0, 0) }, 'avg');
    expect(score).toEqual({ name: 'b', score: expect.closeTo(1, 6) as number, fellBack: true });
  });

  it('ranks classes and measures the margin over the runner-up', () => {
    const classes: ClassEmbeddings[] = [
      { name: 'near', references: [v(0.9, 0.1, 0)] },
      { name: 'far', references: [v(0, 0, 1)] },
      { name: 'middle', references: [v(0.5, 0.5, 0)] },
    ];
    const ranking = rankClasses(x, classes, 'max');
    expect(ranking.best).toBe('near');
    expect(ranking.margin).toBeCloseTo(ranking.score - Math.SQRT1_2, 6);
    expect(ranking.scores.map((s) => s.name)).toEqual(['near', 'far', 'middle']);
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
