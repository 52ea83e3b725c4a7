/**
 * How sorting learns from the library's labels (labelStore.ts): the evidence of people's decisions, which the
 * modes that learn from corrections take in, and the decision rule calibrated on it (modeCalibration.ts), which
 * the API supplies so that calibrating runs off the engine's thread.
 */
import type { Evidence } from '../classify/corrections.js';
import type { DecisionRule } from '../classify/decision.js';
import type { Mode } from '../classify/scores.js';
import type { ClassSet } from './classSet.js';

/** What a calibrated rule promises, as a sorter is told it (see modeCalibration.ts). */
export interface CalibratedRule {
  /** Null: the evidence supports no rule, and every image waits for review. */
  rule: DecisionRule | null;
  maxError: number;
  expectedCoverage: number;
  expectedError: number;
  /** The labelled images it rests on, and the fewest that could support any rule. */
  labelled: number;
  fewest: number;
}

/** How a sorter learns from the library's labels: their evidence, and the rule calibrated on it. */
export interface Learning {
  evidence(set: ClassSet): Evidence;
  calibrate(
    set: ClassSet,
    evidence: Evidence,
    target: { mode: Mode; maxError: number },
  ): Promise<CalibratedRule | null>;
}

/** The rule when nothing can be promised: every image waits for a person. */
export const HOLD_EVERYTHING: DecisionRule = { threshold: Infinity, margin: Infinity };

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** What a calibrated rule promises, in words. */
export function promiseOf(calibrated: CalibratedRule): string {
  const target = percent(calibrated.maxError);
  const basis = `based on ${calibrated.labelled} labelled photos`;
  if (!calibrated.rule) {
    return (
      `Too few labelled photos to promise at most ${target} in the wrong class (${basis}; it takes at least ` +
      `${calibrated.fewest}): every photo waits for review. Each photo you file teaches ClipSort; or choose ` +
      'a higher error or a fixed threshold.'
    );
  }
  return (
    `About ${percent(calibrated.expectedCoverage)} of new photos will be filed automatically, at most ` +
    `${target} of those in the wrong class (${basis}).`
  );
}
