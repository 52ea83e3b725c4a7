/**
 * A mode's calibrated decision rule for a library: its labelled images (the references and people's decisions)
 * scored by cross-validation, then the rule of calibration.ts, with what it does to each class.
 */
import {
  calibrate,
  CONFIDENCE,
  confidenceOf,
  fewestExamples,
  type Calibration,
  type Confidence,
  type LabelledExample,
} from '../classify/calibration.js';
import type { ClassifierOptions } from '../classify/classifier.js';
import type { ClassEmbeddings, Mode } from '../classify/scores.js';
import { crossValidate, foldCount, type ScoredExample } from './crossValidation.js';
import { NO_EVIDENCE, type Evidence } from '../classify/corrections.js';

/** A mode's calibrated rule (see calibration.ts), with what it does to each class's labelled images. */
export interface ModeCalibration extends Calibration {
  maxError: number;
  /** Per class: its labelled images, the share the rule files, and the share of those filed in the wrong class. */
  perClass: Record<string, { labelled: number; coverage: number; error: number }>;
  /** The share filed and the share of those wrong for every cut, loosest last (at most 50 points). */
  curve: { coverage: number; error: number }[];
  /** The fewest labelled images that could support any rule at `maxError`, were they all right. */
  fewest: number;
}

const CURVE_POINTS = 50;

/** Coverage and error of the examples for every cut on `on`, thinned to `CURVE_POINTS`. */
function riskCoverage(
  examples: readonly LabelledExample[],
  on: Confidence,
): { coverage: number; error: number }[] {
  const value = (example: LabelledExample) => confidenceOf(example, on);
  const sorted = [...examples].sort((a, b) => value(b) - value(a));
  const curve: { coverage: number; error: number }[] = [];
  let wrong = 0;
  sorted.forEach((example, i) => {
    if (!example.correct) wrong++;
    // A cut files every example tied with it: a point where the value changes, or the last.
    if (i + 1 < sorted.length && value(sorted[i + 1]!) === value(example)) return;
    curve.push({ coverage: (i + 1) / sorted.length, error: wrong / (i + 1) });
  });
  const every = Math.ceil(curve.length / CURVE_POINTS);
  return curve.filter((_, i) => i % every === every - 1 || i === curve.length - 1);
}

/** The share of filed images allowed in the wrong class when nobody says otherwise. */
export const DEFAULT_MAX_ERROR = 0.02;

/** Calibrates a mode on its cross-validated examples, and says what the rule does to each class. */
export function calibrateMode(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  examples: readonly ScoredExample[],
  maxError: number,
): ModeCalibration {
  const on = CONFIDENCE[mode];
  const calibration = calibrate(examples, { maxError, on });
  const { rule } = calibration;
  const perClass = Object.fromEntries(
    classes.map((c, i) => {
      const own = examples.filter((example) => example.class === i);
      const filed = own.filter(
        (example) => rule !== null && example.score >= rule.threshold && example.margin >= rule.margin,
      );
      const wrong = filed.filter((example) => !example.correct).length;
      const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
      return [
        c.name,
        {
          labelled: own.length,
          coverage: share(filed.length, own.length),
          error: share(wrong, filed.length),
        },
      ];
    }),
  );
  return {
    ...calibration,
    maxError,
    perClass,
    curve: riskCoverage(examples, on),
    fewest: fewestExamples(maxError, calibration.delta),
  };
}

/**
 * The calibrated rule of one mode over the classes and the evidence, as sorting uses it; null when there is
 * nothing to tell apart (fewer than two classes, or no labelled image).
 */
export function calibrateLibraryMode(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  maxError: number,
  options: Omit<ClassifierOptions, 'mode' | 'trainedProbe'> = {},
  evidence: Evidence = NO_EVIDENCE,
): ModeCalibration | null {
  const images = labelledCount(classes, evidence);
  if (classes.length < 2 || images === 0) return null;
  const { examples } = crossValidate(classes, mode, foldCount(images), options, evidence);
  return calibrateMode(classes, mode, examples, maxError);
}

/** How many labelled images the classes and the evidence hold. */
export function labelledCount(classes: readonly ClassEmbeddings[], evidence: Evidence): number {
  const references = classes.reduce((n, c) => n + c.references.length, 0);
  return references + evidence.labelled.length + evidence.refuted.length;
}
