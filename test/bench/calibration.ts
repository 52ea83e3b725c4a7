/**
 * `npx tsx test/bench/calibration.ts`: what the calibrated rule does in each mode, over seeded worlds of
 * CLIP-like embeddings (test/helpers/clipLikeEmbeddings.ts) with references per class. Each trial labels images
 * (as people's decisions would), calibrates on them (cutting on the statistic of the mode), and sorts held-out images: how often the promise broke
 * (at most δ of the trials may), the error and share filed, against the best any cut could file knowing the
 * answers (the oracle) and against the mode's fixed threshold and margin. Figures, not pass/fail.
 */
import os from 'node:os';
import {
  calibrate,
  CONFIDENCE,
  confidenceOf,
  DEFAULT_DELTA,
  type Confidence,
  type LabelledExample,
} from '../../electron/engine/classify/calibration.js';
import { buildClassifier } from '../../electron/engine/classify/classifier.js';
import { decide, DEFAULT_DECISION, type DecisionRule } from '../../electron/engine/classify/decision.js';
import { MODES, type Mode } from '../../electron/engine/classify/scores.js';
import { clipLikeWorld } from '../helpers/clipLikeEmbeddings.js';

const WORLD = { classes: 8, dimension: 32, hard: 3, imageNoise: 0.12, promptNoise: 0.08, references: 5 };
const TRIALS = Number(process.env.CLIPSORT_BENCH_TRIALS ?? 200);
const LABELLED = 1000;
const HELD_OUT = 4000;
const TARGETS = [0.02, 0.05];

function outcome(examples: readonly LabelledExample[], rule: DecisionRule | null) {
  const filed = rule
    ? examples.filter(
        (e) => decide({ best: '', score: e.score, margin: e.margin, scores: [] }, rule).kind === 'sort',
      )
    : [];
  const wrong = filed.filter((e) => !e.correct).length;
  return { coverage: filed.length / examples.length, error: filed.length === 0 ? 0 : wrong / filed.length };
}

function oracleCoverage(examples: readonly LabelledExample[], maxError: number, on: Confidence): number {
  const sorted = [...examples].sort((a, b) => confidenceOf(b, on) - confidenceOf(a, on));
  let [wrong, best] = [0, 0];
  sorted.forEach((example, i) => {
    if (!example.correct) wrong++;
    if (wrong / (i + 1) <= maxError) best = (i + 1) / sorted.length;
  });
  return best;
}

function benchMode(mode: Mode, maxError: number): string {
  const sums = { coverage: 0, error: 0, oracle: 0, fixed: 0, fixedError: 0 };
  let broken = 0;
  for (let seed = 1; seed <= TRIALS; seed++) {
    const world = clipLikeWorld(seed, WORLD);
    const classifier = buildClassifier(world.classes, { mode });
    const score = (count: number): LabelledExample[] =>
      world.draw(count).map(({ vector, label }) => {
        const ranking = classifier.rank(vector);
        const correct = ranking.best === world.classes[label]!.name;
        return { score: ranking.score, margin: ranking.margin, correct };
      });
    const calibration = calibrate(score(LABELLED), { maxError, on: CONFIDENCE[mode] });
    const heldOut = score(HELD_OUT);
    const realised = outcome(heldOut, calibration.rule);
    if (realised.error > maxError) broken++;
    const fixed = outcome(heldOut, DEFAULT_DECISION[mode]);
    sums.coverage += realised.coverage;
    sums.error += realised.error;
    sums.oracle += oracleCoverage(heldOut, maxError, CONFIDENCE[mode]);
    sums.fixed += fixed.coverage;
    sums.fixedError += fixed.error;
  }
  const mean = (value: number) => `${((100 * value) / TRIALS).toFixed(1)} %`;
  return (
    `  ${mode.padEnd(6)} at ${(100 * maxError).toFixed(0)} %: broken in ${broken}/${TRIALS}; error ` +
    `${mean(sums.error)}, filed ${mean(sums.coverage)} (oracle ${mean(sums.oracle)}); fixed ` +
    `${DEFAULT_DECISION[mode].threshold}/${DEFAULT_DECISION[mode].margin}: filed ${mean(sums.fixed)}, error ` +
    `${mean(sums.fixedError)}`
  );
}

console.log(
  `ClipSort calibration benchmark: ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${WORLD.classes} ` +
    `classes × ${WORLD.references} references, ${LABELLED} labelled and ${HELD_OUT} held-out images per trial, ` +
    `δ = ${DEFAULT_DELTA}`,
);
for (const maxError of TARGETS) {
  for (const mode of MODES) console.log(benchMode(mode, maxError));
}
