import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_DECISION } from '../../electron/engine/classify/decision.js';
import { MODES, type Ranking } from '../../electron/engine/classify/scores.js';

const ranking = (score: number, margin: number): Ranking => ({ best: 'cats', score, margin, scores: [] });
const rule = { threshold: 0.5, margin: 0.2 };

describe('decision rule', () => {
  it.each([
    ['clears both', 0.9, 0.5, { kind: 'sort', class: 'cats' }],
    ['exactly at both', 0.5, 0.2, { kind: 'sort', class: 'cats' }],
    ['score too low', 0.49, 0.4, { kind: 'review', suggestion: 'cats', reason: 'score' }],
    ['margin too small', 0.9, 0.19, { kind: 'review', suggestion: 'cats', reason: 'margin' }],
    [
      'both too low: the score is the reason',
      0.1,
      0,
      { kind: 'review', suggestion: 'cats', reason: 'score' },
    ],
    ['not a number', Number.NaN, 0.5, { kind: 'review', suggestion: 'cats', reason: 'score' }],
    ['margin not a number', 0.9, Number.NaN, { kind: 'review', suggestion: 'cats', reason: 'margin' }],
  ])('%s', (_, score, margin, expected) => {
    expect(decide(ranking(score, margin), rule)).toEqual(expected);
  });

  it.each(MODES)('%s has a default rule on its score scale', (mode) => {
    const { threshold, margin } = DEFAULT_DECISION[mode];
    expect(threshold).toBeGreaterThan(0);
    expect(threshold).toBeLessThan(1);
    expect(margin).toBeGreaterThan(0);
    expect(margin).toBeLessThan(threshold);
  });

  it.each([
    // Cosines: a near tie between references of two classes goes to review; probabilities: 0.55 vs 0.45 does.
    ['avg', 0.75, 0.01, 'review'],
    ['max', 0.9, 0.05, 'sort'],
    ['max', 0.65, 0.2, 'review'],
    ['text', 0.55, 0.1, 'review'],
    ['hybrid', 0.8, 0.65, 'sort'],
    ['probe', 0.45, 0.3, 'review'],
  ] as const)('%s defaults: score %s, margin %s → %s', (mode, score, margin, kind) => {
    expect(decide(ranking(score, margin), DEFAULT_DECISION[mode]).kind).toBe(kind);
  });
});
