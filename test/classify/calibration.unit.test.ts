import { describe, expect, it } from 'vitest';
import {
  calibrate,
  errorUpperBound,
  type LabelledExample,
} from '../../electron/engine/classify/calibration.js';
import { buildClassifier } from '../../electron/engine/classify/classifier.js';
import { decide, DEFAULT_DECISION, type DecisionRule } from '../../electron/engine/classify/decision.js';
import { clipLikeWorld } from '../helpers/clipLikeEmbeddings.js';

/** An example with the lead over the runner-up too, which today's fixed rule looks at. */
type Scored = LabelledExample & { margin: number };

/** The examples of `count` images of a world, as text mode scores them. */
function scored(world: ReturnType<typeof clipLikeWorld>, count: number): Scored[] {
  const classifier = buildClassifier(world.classes, { mode: 'text' });
  return world.draw(count).map(({ vector, label }) => {
    const ranking = classifier.rank(vector);
    return {
      score: ranking.score,
      margin: ranking.margin,
      correct: ranking.best === world.classes[label]!.name,
    };
  });
}

/** What a rule does on examples: the share it files, and the share of those it gets wrong. */
function outcome(examples: readonly Scored[], rule: DecisionRule | null) {
  const filed = rule
    ? examples.filter(
        (e) => decide({ best: 'x', score: e.score, margin: e.margin, scores: [] }, rule).kind === 'sort',
      )
    : [];
  const wrong = filed.filter((e) => !e.correct).length;
  return { coverage: filed.length / examples.length, error: filed.length === 0 ? 0 : wrong / filed.length };
}

/** The most any threshold on the score files of `examples` within `maxError`: what knowing the answers allows. */
function oracleCoverage(examples: readonly LabelledExample[], maxError: number): number {
  const sorted = [...examples].sort((a, b) => b.score - a.score);
  let [wrong, best] = [0, 0];
  sorted.forEach((example, i) => {
    if (!example.correct) wrong++;
    if (wrong / (i + 1) <= maxError) best = (i + 1) / sorted.length;
  });
  return best;
}

const WORLD = { classes: 8, dimension: 32, hard: 3, imageNoise: 0.12, promptNoise: 0.08 };

describe('calibrated decisions', () => {
  it('bounds an error rate as Clopper and Pearson do', () => {
    // No error in n trials: 1 − δ^(1/n); the textbook value for 0 of 114 at δ = 0.1 is 0.0200.
    expect(errorUpperBound(0, 114, 0.1)).toBeCloseTo(1 - 0.1 ** (1 / 114), 6);
    expect(errorUpperBound(0, 114, 0.1)).toBeCloseTo(0.02, 3);
    // 5 errors in 100 at δ = 0.05 (one-sided): 0.1023.
    expect(errorUpperBound(5, 100, 0.05)).toBeCloseTo(0.1023, 3);
    expect(errorUpperBound(0, 0, 0.1)).toBe(1);
    expect(errorUpperBound(3, 3, 0.1)).toBe(1);
  });

  it('keeps its promise on held-out images in at least 1 − δ of 200 seeded calibrations of 1,000 examples', () => {
    const maxError = 0.02;
    const delta = 0.1;
    const trials = 200;
    let broken = 0;
    const sums = { coverage: 0, error: 0, oracle: 0, fixed: 0, fixedError: 0 };
    for (let seed = 1; seed <= trials; seed++) {
      const world = clipLikeWorld(seed, WORLD);
      const calibration = calibrate(scored(world, 1000), { maxError, delta });
      const heldOut = scored(world, 4000);
      const realised = outcome(heldOut, calibration.rule);
      if (realised.error > maxError) broken++;
      const fixed = outcome(heldOut, DEFAULT_DECISION.text);
      sums.coverage += realised.coverage;
      sums.error += realised.error;
      sums.oracle += oracleCoverage(heldOut, maxError);
      sums.fixed += fixed.coverage;
      sums.fixedError += fixed.error;
    }
    const mean = (value: number) => `${((100 * value) / trials).toFixed(1)} %`;
    console.log(
      `calibration at ${100 * maxError} %, δ = ${delta}, ${trials} trials: promise broken in ${broken}; ` +
        `coverage ${mean(sums.coverage)} (oracle ${mean(sums.oracle)}), error ${mean(sums.error)}; ` +
        `today's text defaults: coverage ${mean(sums.fixed)}, error ${mean(sums.fixedError)}`,
    );
    expect(broken).toBeLessThanOrEqual(delta * trials);
    // It files a useful share, below what knowing the answers would allow.
    expect(sums.coverage / trials).toBeGreaterThan(0.4);
    expect(sums.coverage).toBeLessThanOrEqual(sums.oracle);
  });

  it('files nothing when the examples are too few to support the promise, and says so', () => {
    const world = clipLikeWorld(7, WORLD);
    const few = calibrate(scored(world, 30), { maxError: 0.02 });
    expect(few).toMatchObject({ rule: null, expectedCoverage: 0, labelled: 30 });
    const many = calibrate(scored(world, 2000), { maxError: 0.02 });
    expect(many.rule).not.toBeNull();
    expect(many.expectedError).toBeLessThanOrEqual(0.02);
    expect(many.observedError).toBeLessThanOrEqual(many.expectedError);
    expect(many.expectedCoverage).toBeGreaterThan(0.3);
  });

  it('files more as the error allowed grows', () => {
    const examples = scored(clipLikeWorld(11, WORLD), 1500);
    const coverages = [0.01, 0.02, 0.05, 0.1].map(
      (maxError) => calibrate(examples, { maxError }).expectedCoverage,
    );
    expect(coverages).toEqual([...coverages].sort((a, b) => a - b));
    expect(coverages.at(-1)).toBeGreaterThan(coverages[0]!);
  });
});
