import { describe, expect, it } from 'vitest';
import {
  calibrate,
  CONFIDENCE,
  confidenceOf,
  errorUpperBound,
  type Confidence,
  type LabelledExample,
} from '../../electron/engine/classify/calibration.js';
import { buildClassifier } from '../../electron/engine/classify/classifier.js';
import type { Mode } from '../../electron/engine/classify/scores.js';
import { decide, DEFAULT_DECISION, type DecisionRule } from '../../electron/engine/classify/decision.js';
import { clipLikeWorld } from '../helpers/clipLikeEmbeddings.js';

/** The examples of `count` images of a world, as `mode` scores them. */
function scored(
  world: ReturnType<typeof clipLikeWorld>,
  count: number,
  mode: Mode = 'text',
): LabelledExample[] {
  const classifier = buildClassifier(world.classes, { mode });
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
function outcome(examples: readonly LabelledExample[], rule: DecisionRule | null) {
  const filed = rule
    ? examples.filter(
        (e) => decide({ best: 'x', score: e.score, margin: e.margin, scores: [] }, rule).kind === 'sort',
      )
    : [];
  const wrong = filed.filter((e) => !e.correct).length;
  return { coverage: filed.length / examples.length, error: filed.length === 0 ? 0 : wrong / filed.length };
}

/** The most any cut on `on` files of `examples` within `maxError`: what knowing the answers allows. */
function oracleCoverage(examples: readonly LabelledExample[], maxError: number, on: Confidence): number {
  const sorted = [...examples].sort((a, b) => confidenceOf(b, on) - confidenceOf(a, on));
  let [wrong, best] = [0, 0];
  sorted.forEach((example, i) => {
    if (!example.correct) wrong++;
    if (wrong / (i + 1) <= maxError) best = (i + 1) / sorted.length;
  });
  return best;
}

const WORLD = { classes: 8, dimension: 32, hard: 3, imageNoise: 0.12, promptNoise: 0.08, references: 5 };

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

  // Text mode scores probabilities and cuts on the score; avg mode scores cosines and cuts on the lead.
  it.each<Mode>(['text', 'avg'])(
    'keeps its promise in %s mode on held-out images in at least 1 − δ of 200 seeded calibrations of 1,000 examples',
    (mode) => {
      const [maxError, delta, trials, on] = [0.02, 0.1, 200, CONFIDENCE[mode]];
      let broken = 0;
      const sums = { coverage: 0, error: 0, oracle: 0, fixed: 0, fixedError: 0, other: 0 };
      for (let seed = 1; seed <= trials; seed++) {
        const world = clipLikeWorld(seed, WORLD);
        const examples = scored(world, 1000, mode);
        const calibration = calibrate(examples, { maxError, delta, on });
        const heldOut = scored(world, 4000, mode);
        const realised = outcome(heldOut, calibration.rule);
        if (realised.error > maxError) broken++;
        const fixed = outcome(heldOut, DEFAULT_DECISION[mode]);
        const other = calibrate(examples, { maxError, delta, on: on === 'score' ? 'margin' : 'score' });
        sums.coverage += realised.coverage;
        sums.error += realised.error;
        sums.oracle += oracleCoverage(heldOut, maxError, on);
        sums.fixed += fixed.coverage;
        sums.fixedError += fixed.error;
        sums.other += outcome(heldOut, other.rule).coverage;
      }
      const mean = (value: number) => `${((100 * value) / trials).toFixed(1)} %`;
      console.log(
        `${mode} at ${100 * maxError} %, δ = ${delta}, ${trials} trials: promise broken in ${broken}; coverage ` +
          `${mean(sums.coverage)} (oracle ${mean(sums.oracle)}; cut on the ${on === 'score' ? 'lead' : 'score'} ` +
          `instead: ${mean(sums.other)}), error ${mean(sums.error)}; today's ${mode} defaults: coverage ` +
          `${mean(sums.fixed)}, error ${mean(sums.fixedError)}`,
      );
      expect(broken).toBeLessThanOrEqual(delta * trials);
      // It files a useful share, below what knowing the answers would allow, and no less than the other cut.
      expect(sums.coverage / trials).toBeGreaterThan(0.4);
      expect(sums.coverage).toBeLessThanOrEqual(sums.oracle);
      expect(sums.coverage).toBeGreaterThanOrEqual(sums.other * 0.98);
    },
  );

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
