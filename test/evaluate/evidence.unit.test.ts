import { describe, expect, it } from 'vitest';
import { buildClassifier } from '../../electron/engine/classify/classifier.js';
import { classesWithCorrections, type Evidence } from '../../electron/engine/classify/corrections.js';
import type { ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { crossValidate } from '../../electron/engine/evaluate/crossValidation.js';
import { correctionsOf, evidenceOf } from '../../electron/engine/evaluate/evidence.js';
import type { Label } from '../../electron/engine/store/labelStore.js';
import { v } from '../classify/clusters.js';

const label = (sha256: string, name: string, overrides: Partial<Label> = {}): Label => ({
  sha256,
  class: name,
  correct: true,
  source: 'assigned',
  suggested: null,
  model: null,
  mode: null,
  score: null,
  batch: `batch-${sha256}`,
  ...overrides,
});

const twoClasses = (): ClassEmbeddings[] => [
  { name: 'cat', references: [v(1, 0.1, 0), v(1, -0.1, 0)], text: v(1, 0, 0.3) },
  { name: 'dog', references: [v(0, 1, 0.1), v(0.1, 1, 0)], text: v(0, 1, 0.3) },
];

describe('evidence of labels', () => {
  const vectors: Record<string, Float32Array> = {
    a: v(1, 0, 0),
    b: v(0, 1, 0),
    c: v(1, 1, 0),
    r: v(1, 0, 1),
  };

  it('keeps the newest label of each image, leaving out references, unknown classes and unembedded images', () => {
    const evidence = evidenceOf(
      [
        label('a', 'dog', { correct: false, source: 'undone' }),
        label('a', 'cat', { source: 'corrected', suggested: 'dog' }),
        label('b', 'dog', { correct: false, source: 'undone' }),
        label('c', 'bird'),
        label('r', 'cat'),
        label('missing', 'cat'),
      ],
      ['cat', 'dog'],
      new Set(['r']),
      (sha256) => vectors[sha256],
    );
    expect(evidence.labelled).toEqual([{ vector: vectors.a, class: 'cat', corrected: true }]);
    expect(evidence.refuted).toEqual([{ vector: vectors.b, class: 'dog' }]);
  });

  it('counts corrections per class and which suggestion was corrected to which, most frequent first', () => {
    const corrections = correctionsOf(
      [
        label('1', 'dog', { source: 'corrected', suggested: 'cat' }),
        label('2', 'dog', { source: 'corrected', suggested: 'cat' }),
        label('3', 'cat', { source: 'corrected', suggested: 'dog' }),
        label('4', 'cat', { correct: false, source: 'undone', suggested: 'cat' }),
        label('5', 'cat', { source: 'accepted', suggested: 'cat' }),
      ],
      ['cat', 'dog'],
    );
    expect(corrections.perClass).toEqual({
      cat: { corrected: 1, undone: 1 },
      dog: { corrected: 2, undone: 0 },
    });
    expect(corrections.confusions).toEqual([
      { suggested: 'cat', chosen: 'dog', count: 2 },
      { suggested: 'dog', chosen: 'cat', count: 1 },
    ]);
  });
});

describe('cross-validation with evidence', () => {
  it('scores every labelled image once, and an undone image only when it lands in the refuted class again', () => {
    const classes = twoClasses();
    const evidence: Evidence = {
      labelled: [{ vector: v(0.9, 0.2, 0), class: 'cat', corrected: false }],
      // The first lands in cat again (a certain error); the second goes to dog (its class is unknown).
      refuted: [
        { vector: v(1, 0.05, 0), class: 'cat' },
        { vector: v(0, 1, 0), class: 'cat' },
      ],
    };
    const { confusion, examples } = crossValidate(classes, 'avg', 7, {}, evidence);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(examples).toHaveLength(6);
    const refuted = examples.filter((example) => example.class === -1);
    expect(refuted).toHaveLength(1);
    expect(refuted[0]!.correct).toBe(false);
  });

  it('lets hybrid and probe learn from corrections (the corrected class scores higher), not avg', () => {
    const classes = twoClasses();
    // Near cat's references, yet a person said it is a dog, twice over.
    const near = v(1, 0.7, 0.05);
    const evidence: Evidence = {
      labelled: [
        { vector: v(1, 0.75, 0), class: 'dog', corrected: true },
        { vector: v(1, 0.65, 0.1), class: 'dog', corrected: true },
      ],
      refuted: [],
    };
    const dogScore = (of: readonly ClassEmbeddings[], mode: 'hybrid' | 'probe') =>
      buildClassifier(of, { mode })
        .rank(near)
        .scores.find((s) => s.name === 'dog')!.score;
    for (const mode of ['hybrid', 'probe'] as const) {
      expect(buildClassifier(classes, { mode }).rank(near).best, mode).toBe('cat');
      const learnt = classesWithCorrections(classes, mode, evidence);
      expect(learnt.find((c) => c.name === 'dog')!.references).toHaveLength(4);
      expect(dogScore(learnt, mode), mode).toBeGreaterThan(dogScore(classes, mode));
    }
    expect(classesWithCorrections(classes, 'avg', evidence)).toEqual(classes);
  });
});
