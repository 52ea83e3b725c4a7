import { describe, expect, it } from 'vitest';
import { avgScores, maxScores, textScores } from '../../electron/engine/classify/classifier.js';
import { cacheAffinity, DEFAULT_HYBRID, hybridScores } from '../../electron/engine/classify/hybrid.js';
import { rankScores, type ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { makeClusters, v } from './clusters.js';

describe('hybrid mode (zero-shot logits plus a Tip-Adapter cache of the references)', () => {
  const x = v(1, 0, 0);

  it.each([
    ['identical reference', [v(1, 0, 0)], 5.5, 1],
    ['orthogonal reference', [v(0, 1, 0)], 5.5, Math.exp(-5.5)],
    ['mean of both', [v(1, 0, 0), v(0, 1, 0)], 2, (1 + Math.exp(-2)) / 2],
    ['opposite reference', [v(-1, 0, 0)], 1, Math.exp(-2)],
  ])('affinity to an %s', (_, references, beta, expected) => {
    expect(cacheAffinity(x, references, beta)).toBeCloseTo(expected, 9);
  });

  it('adds α × affinity to 100 × the prompt cosine, then takes the softmax', () => {
    const classes: ClassEmbeddings[] = [
      { name: 'a', references: [v(1, 0, 0)], text: v(1, 1, 0) },
      { name: 'b', references: [v(0, 1, 0)], text: v(1, 0, 1) },
    ];
    const [a, b] = hybridScores(x, classes, { alpha: 3, beta: 1 });
    // Equal prompt cosines, so the logits differ by 3 × (1 − e⁻¹).
    const gap = 3 * (1 - Math.exp(-1));
    expect(a!.score).toBeCloseTo(1 / (1 + Math.exp(-gap)), 9);
    expect(b!.score).toBeCloseTo(1 - a!.score, 9);
  });

  const { classes, sample } = makeClusters({ classes: 6, perClass: 5, dims: 32, seed: 4, noise: 3 });
  const images = Array.from({ length: 30 }, (_, i) => sample(i % 6));

  it('is tested on images where text, avg and max disagree', () => {
    const best = (score: typeof textScores) => images.map((image) => rankScores(score(image, classes)).best);
    const [text, avg, max] = [best(textScores), best(avgScores), best(maxScores)];
    expect(text.filter((b, i) => b !== avg[i]).length).toBeGreaterThan(5);
    expect(avg.filter((b, i) => b !== max[i]).length).toBeGreaterThan(5);
  });

  it('with α = 0 ranks exactly as the text mode', () => {
    for (const image of images) {
      const hybrid = hybridScores(image, classes, { alpha: 0, beta: DEFAULT_HYBRID.beta });
      const text = textScores(image, classes);
      hybrid.forEach((s, i) => expect(s.score).toBeCloseTo(text[i]!.score, 12));
    }
  });

  it.each([
    // Small β makes the affinity nearly linear in the cosine, so the cache ranks like avg; large β lets the
    // closest reference dominate, so it ranks like max.
    ['avg', 0.01, avgScores],
    ['max', 200, maxScores],
  ] as const)('with a large α ranks as the %s mode (β = %s)', (_, beta, imageMode) => {
    for (const image of images) {
      const hybrid = hybridScores(image, classes, { alpha: beta < 1 ? 1e7 : 1e90, beta });
      expect(rankScores(hybrid).best).toBe(rankScores(imageMode(image, classes)).best);
    }
  });

  it('gives a class without references the mean cache term of the others, and says so', () => {
    const set: ClassEmbeddings[] = [
      { name: 'a', references: [v(1, 0, 0)], text: v(0, 1, 0) },
      { name: 'b', references: [v(0, 1, 0)], text: v(0, 1, 0) },
      { name: 'new', references: [], text: v(0, 1, 0) },
    ];
    const options = { alpha: 4, beta: 2 };
    const scores = hybridScores(x, set, options);
    expect(scores.map((s) => s.fellBack)).toEqual([false, false, true]);
    // Same prompt cosine for all: the logits are the cache terms 4·1, 4·e⁻², and their mean for "new".
    const [la, lb] = [4, 4 * Math.exp(-2)];
    const logits = [la, lb, (la + lb) / 2];
    const sum = logits.reduce((s, l) => s + Math.exp(l), 0);
    scores.forEach((s, i) => expect(s.score).toBeCloseTo(Math.exp(logits[i]!) / sum, 9));
  });

  it('needs every prompt', () => {
    expect(() => hybridScores(x, [{ name: 'mute', references: [x] }])).toThrow(/mute has no prompt/);
  });
});
