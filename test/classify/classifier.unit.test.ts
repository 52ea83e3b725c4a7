import { describe, expect, it } from 'vitest';
import { buildClassifier, rankClasses } from '../../electron/engine/classify/classifier.js';
import { MODES, type ClassEmbeddings, type Mode } from '../../electron/engine/classify/scores.js';
import { makeClusters, v } from './clusters.js';

describe('buildClassifier', () => {
  const { classes, sample } = makeClusters({ classes: 5, perClass: 6, dims: 64, seed: 11 });

  it.each(MODES)('%s: ranks every class, best first, with a margin over the runner-up', (mode) => {
    const classifier = buildClassifier(classes, { mode });
    expect(classifier.mode).toBe(mode);
    expect(classifier.fellBack).toEqual([]);
    for (let i = 0; i < 15; i++) {
      const ranking = classifier.rank(sample(i % 5));
      expect(ranking.best).toBe(`class-${i % 5}`);
      expect(ranking.scores.map((s) => s.name)).toEqual(classes.map((c) => c.name));
      const sorted = ranking.scores.map((s) => s.score).sort((a, b) => b - a);
      expect(ranking.score).toBe(sorted[0]);
      expect(ranking.margin).toBeCloseTo(sorted[0]! - sorted[1]!, 12);
      if (mode !== 'avg' && mode !== 'max') {
        expect(ranking.scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 9);
      }
    }
  });

  it.each(MODES)('%s: a class without references falls back to its prompt and says so', (mode) => {
    const set = classes.map((c, i) => (i === 2 ? { ...c, references: [] } : c));
    const classifier = buildClassifier(set, { mode });
    expect(classifier.fellBack).toEqual(mode === 'text' ? [] : ['class-2']);
    const ranking = classifier.rank(sample(0));
    expect(ranking.scores.map((s) => s.fellBack)).toEqual(set.map((_, i) => mode !== 'text' && i === 2));
  });

  const refused: [Mode, ClassEmbeddings[], RegExp][] = [
    ['text', [{ name: 'mute', references: [v(1, 0)] }], /mute has no prompt embedding/],
    ['hybrid', [{ name: 'mute', references: [v(1, 0)] }], /mute has no prompt embedding/],
    ['avg', [{ name: 'lost', references: [] }], /lost has neither references nor a prompt/],
    ['probe', [{ name: 'lost', references: [] }], /lost has neither references nor a prompt/],
    ['max', [], /no classes/],
  ];
  it.each(refused)('%s: refuses classes it cannot score, up front', (mode, set, error) => {
    expect(() => buildClassifier(set, { mode })).toThrow(error);
  });

  it('image modes need no prompts when every class has references', () => {
    const mute = classes.map(({ name, references }) => ({ name, references }));
    for (const mode of ['avg', 'max', 'probe'] as const) {
      expect(buildClassifier(mute, { mode }).rank(sample(1)).best).toBe('class-1');
    }
  });

  it('passes the hybrid weights through, leaving unset ones at their defaults', () => {
    const x = sample(3);
    const textOnly = buildClassifier(classes, { mode: 'hybrid', hybrid: { alpha: 0, beta: undefined } }).rank(
      x,
    );
    expect(textOnly.scores).toEqual(buildClassifier(classes, { mode: 'text' }).rank(x).scores);
  });

  it('trains the probe once, when the classifier is built', () => {
    const classifier = buildClassifier(classes, { mode: 'probe', probe: { lambda: 0.5 } });
    expect(classifier.probe?.converged).toBe(true);
    expect(classifier.rank(sample(4)).best).toBe('class-4');
  });

  it('rankClasses ranks one image in one call', () => {
    expect(rankClasses(sample(2), classes, 'max').best).toBe('class-2');
  });
});
