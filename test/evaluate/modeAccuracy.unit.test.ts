import { describe, expect, it } from 'vitest';
import { buildClassifier } from '../../electron/engine/classify/classifier.js';
import { trainProbe } from '../../electron/engine/classify/probe.js';
import type { ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import {
  assignFolds,
  FOLDS,
  foldCount,
  LEAVE_ONE_OUT_LIMIT,
} from '../../electron/engine/evaluate/crossValidation.js';
import {
  accuracyOf,
  crossValidatedConfusion,
  evaluateModes,
  recommendMode,
} from '../../electron/engine/evaluate/modeAccuracy.js';
import { makeClusters, v } from '../classify/clusters.js';

/**
 * Two classes on two axes. Class a's third reference is an odd one, close to class b's references, so that the
 * image modes (and the hybrid, whose references outweigh a small difference in the prompts) put it in b when it is
 * left out. Prompts point at the axes, except where a test moves them.
 */
function twoClasses(textA = v(1, 0, 0, 0)): ClassEmbeddings[] {
  return [
    { name: 'a', references: [v(1, 0.1, 0, 0), v(1, -0.1, 0, 0), v(0.2, 1, 0, 0)], text: textA },
    { name: 'b', references: [v(0, 1, 0.1, 0), v(0, 1, -0.1, 0)], text: v(0, 1, 0, 0) },
  ];
}

describe('leave-one-out per mode', () => {
  it.each(['avg', 'max', 'text', 'hybrid'] as const)(
    '%s puts the odd reference of a in b and everything else in its class',
    (mode) => {
      const confusion = crossValidatedConfusion(twoClasses(), mode, 5);
      expect(confusion).toEqual([
        [2, 1],
        [0, 2],
      ]);
      expect(accuracyOf(confusion)).toBeCloseTo(0.8, 12);
    },
  );

  it('finds the prompt-led modes best when only the prompts place the odd reference in a', () => {
    // a's prompt now leans toward the odd reference: the text mode gets all five right, and so does the probe,
    // which with so few references stays close to the prompts.
    const result = evaluateModes(twoClasses(v(0.2, 1, 0, 0)));
    expect(result).toMatchObject({ classes: ['a', 'b'], references: 5, folds: 5, single: [] });
    expect(result.modes.text).toBe(1);
    expect(result.confusion.text).toEqual([
      [3, 0],
      [0, 2],
    ]);
    for (const mode of ['avg', 'max', 'hybrid'] as const) expect(result.modes[mode]).toBeCloseTo(0.8, 12);
    expect(result.modes.probe).toBe(1);
    // A tie between the probe and text goes to the probe, which also learns from the references.
    expect(result.recommended).toBe('probe');
  });

  it('trains the probe once per left-out reference, without it', () => {
    const classes = twoClasses();
    const confusion = crossValidatedConfusion(classes, 'probe', 5);
    const expected = [
      [0, 0],
      [0, 0],
    ];
    classes.forEach((own, c) => {
      own.references.forEach((x, r) => {
        const held = classes.map((k, i) =>
          i === c ? { ...k, references: k.references.filter((_, j) => j !== r) } : k,
        );
        const probe = trainProbe(held);
        const best = buildClassifier(held, { mode: 'probe', trainedProbe: probe }).rank(x).best;
        expected[c]![best === 'a' ? 0 : 1]!++;
      });
    });
    expect(confusion).toEqual(expected);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('scores a class whose only reference is left out by its prompt, and names it', () => {
    const classes: ClassEmbeddings[] = [
      ...twoClasses(),
      { name: 'c', references: [v(0, 0, 1, 0.3)], text: v(0, 0, 1, 0) },
    ];
    const result = evaluateModes(classes);
    expect(result.single).toEqual(['c']);
    expect(result.references).toBe(6);
    // Without references, c is scored by its prompt (shifted onto the image scale in avg and max) and still wins.
    for (const mode of ['avg', 'max', 'text', 'hybrid'] as const) {
      expect(result.confusion[mode][2]).toEqual([0, 0, 1]);
    }
  });

  it('has nothing to compare with fewer than two classes or no references', () => {
    const one = evaluateModes([twoClasses()[0]!]);
    expect(one.modes).toEqual({ avg: null, max: null, text: null, hybrid: null, probe: null });
    expect(one.recommended).toBeNull();
    expect(one.confusion.avg).toEqual([[0]]);
    const none = evaluateModes(twoClasses().map((c) => ({ ...c, references: [] })));
    expect(none.recommended).toBeNull();
    expect(none).toMatchObject({ references: 0, folds: 0 });
  });

  it('needs every class to have its prompt embedding', () => {
    const [a, b] = twoClasses();
    expect(() => crossValidatedConfusion([a!, { ...b!, text: undefined }], 'avg', 5)).toThrow(/class b/);
  });
});

describe('folds', () => {
  it(`leaves one out up to ${LEAVE_ONE_OUT_LIMIT} references, then uses ${FOLDS} folds`, () => {
    expect(foldCount(1)).toBe(1);
    expect(foldCount(LEAVE_ONE_OUT_LIMIT)).toBe(LEAVE_ONE_OUT_LIMIT);
    expect(foldCount(LEAVE_ONE_OUT_LIMIT + 1)).toBe(FOLDS);
  });

  it('deals references round robin across classes, so a small class loses one reference at a time', () => {
    const sizes = [3, 2, 4];
    const classes = sizes.map((n, c) => ({
      name: `c${c}`,
      references: Array.from({ length: n }, () => v(1, 0)),
    }));
    expect(assignFolds(classes, 4)).toEqual([
      [0, 1, 2],
      [3, 0],
      [1, 2, 3, 0],
    ]);
    expect(assignFolds(classes, 9).flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('classifies every reference exactly once with folds', () => {
    const { classes } = makeClusters({ classes: 6, perClass: 20, dims: 32, seed: 5, noise: 1.2 });
    const result = evaluateModes(classes);
    expect(result).toMatchObject({ references: 120, folds: FOLDS });
    for (const matrix of Object.values(result.confusion)) {
      expect(matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(new Array(6).fill(20));
    }
    // Well-separated clusters: every mode recognises nearly all of them.
    for (const accuracy of Object.values(result.modes)) expect(accuracy).toBeGreaterThan(0.9);
  });
});

describe('recommendation', () => {
  it('takes the best accuracy, and breaks ties hybrid, probe, avg, max, text', () => {
    expect(recommendMode({ avg: 0.9, max: 0.95, text: 0.5, hybrid: 0.9, probe: 0.9 })).toBe('max');
    expect(recommendMode({ avg: 1, max: 1, text: 1, hybrid: 1, probe: 1 })).toBe('hybrid');
    expect(recommendMode({ avg: 0.8, max: 0.8, text: 0.8, hybrid: 0.7, probe: 0.8 })).toBe('probe');
    expect(recommendMode({ avg: 0.8, max: 0.8, text: 0.8, hybrid: 0.7, probe: 0.7 })).toBe('avg');
    expect(recommendMode({ avg: null, max: null, text: 0.3, hybrid: null, probe: null })).toBe('text');
    expect(recommendMode({ avg: null, max: null, text: null, hybrid: null, probe: null })).toBeNull();
  });
});
