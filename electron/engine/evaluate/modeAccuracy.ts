/**
 * Which mode suits a library's classes: every labelled image (each reference, and each image people filed or
 * corrected) is left out and classified against the classes as they are without it, in every mode
 * (crossValidation.ts). Accuracy is measured on the references; each mode's decision rule is calibrated on all
 * the labelled images (modeCalibration.ts), and the mode recommended is the one that files the most within the
 * target error.
 *
 * A class whose only reference is left out is scored by its prompt, as sorting scores a class without
 * references: so its image still counts, and measures what the prompt alone achieves; `single` names such
 * classes so that a face can say so.
 */
import type { HybridOptions } from '../classify/hybrid.js';
import type { ProbeOptions } from '../classify/probe.js';
import { MODES, type ClassEmbeddings, type Mode, type TextScoring } from '../classify/scores.js';
import { crossValidate, foldCount, type CrossValidation } from './crossValidation.js';
import { NO_EVIDENCE, type Evidence } from '../classify/corrections.js';
import { calibrateMode, DEFAULT_MAX_ERROR, labelledCount, type ModeCalibration } from './modeCalibration.js';

/**
 * Which mode to recommend when coverage and accuracy tie: the default `hybrid` first (prompts and references
 * both), then the probe (also both), then the image modes (`avg`, steadier than `max` against one odd
 * reference), and `text` last, as it ignores the references a person chose.
 */
export const RECOMMENDATION_ORDER: readonly Mode[] = ['hybrid', 'probe', 'avg', 'max', 'text'];

export interface ModeAccuracyOptions {
  hybrid?: Partial<HybridOptions>;
  probe?: Partial<ProbeOptions>;
  /** How the model scores texts (CLIP's unless set). */
  scoring?: TextScoring;
  /** The share of filed images allowed in the wrong class, for the calibrated rule of each mode. */
  maxError?: number;
}

export interface ClassesEvaluation {
  classes: string[];
  /** Reference images classified (every reference of every class). */
  references: number;
  /** How many parts the labelled images were split into: as many as there are means leave-one-out. */
  folds: number;
  /** Share (0–1) of references classified into their own class, per mode; null with nothing to tell apart. */
  modes: Record<Mode, number | null>;
  /** The mode that files the most within the target error; the most accurate where none files any. */
  recommended: Mode | null;
  /** Per mode, over the references: rows are the true class, columns the predicted one, in `classes` order. */
  confusion: Record<Mode, number[][]>;
  /** Classes with a single reference, scored by their prompt when it is left out. */
  single: string[];
  /** Per mode, the rule calibrated on the labelled images as scored here; null with nothing to tell apart. */
  calibration: Record<Mode, ModeCalibration | null>;
}

/** The confusion matrix of one mode over the references: rows are the true class, columns the predicted one. */
export function crossValidatedConfusion(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  folds: number,
  options: ModeAccuracyOptions = {},
): number[][] {
  return crossValidate(classes, mode, folds, options).confusion;
}

/** Accuracy of a confusion matrix: its trace over its total (null when it is empty). */
export function accuracyOf(confusion: readonly (readonly number[])[]): number | null {
  let right = 0;
  let total = 0;
  confusion.forEach((row, i) => {
    for (const count of row) total += count;
    right += row[i] ?? 0;
  });
  return total > 0 ? right / total : null;
}

/**
 * The mode that files the most within the target (`coverage`, the calibrated share each mode files), then the
 * most accurate, ties broken by `RECOMMENDATION_ORDER`; null when no mode has an accuracy.
 */
export function recommendMode(
  accuracy: Readonly<Record<Mode, number | null>>,
  coverage: Readonly<Partial<Record<Mode, number>>> = {},
): Mode | null {
  const key = (mode: Mode): [number, number] => [coverage[mode] ?? 0, accuracy[mode]!];
  let best: Mode | null = null;
  for (const mode of RECOMMENDATION_ORDER) {
    if (accuracy[mode] === null) continue;
    if (best === null) {
      best = mode;
      continue;
    }
    const [c, a] = key(mode);
    const [bestC, bestA] = key(best);
    if (c > bestC || (c === bestC && a > bestA)) best = mode;
  }
  return best;
}

/**
 * Cross-validated accuracy, confusion and calibrated rule of every mode over the classes' references and the
 * evidence of people's decisions. Every class needs its prompt embedding. With fewer than two classes there is
 * nothing to tell apart: accuracies are null.
 */
export function evaluateModes(
  classes: readonly ClassEmbeddings[],
  options: ModeAccuracyOptions = {},
  evidence: Evidence = NO_EVIDENCE,
): ClassesEvaluation {
  const references = classes.reduce((n, c) => n + c.references.length, 0);
  const comparable = classes.length >= 2 && references > 0;
  const folds = comparable ? foldCount(labelledCount(classes, evidence)) : 0;
  const runs = Object.fromEntries(
    MODES.map((mode) => [mode, comparable ? crossValidate(classes, mode, folds, options, evidence) : null]),
  ) as Record<Mode, CrossValidation | null>;
  const confusion = Object.fromEntries(
    MODES.map((mode) => [mode, runs[mode]?.confusion ?? classes.map(() => classes.map(() => 0))]),
  ) as Record<Mode, number[][]>;
  const maxError = options.maxError ?? DEFAULT_MAX_ERROR;
  const calibration = Object.fromEntries(
    MODES.map((mode) => {
      const run = runs[mode];
      return [mode, run ? calibrateMode(classes, mode, run.examples, maxError) : null];
    }),
  ) as Record<Mode, ModeCalibration | null>;
  const modes = Object.fromEntries(MODES.map((mode) => [mode, accuracyOf(confusion[mode])])) as Record<
    Mode,
    number | null
  >;
  const coverage = Object.fromEntries(
    MODES.map((mode) => [mode, calibration[mode]?.expectedCoverage ?? 0]),
  ) as Record<Mode, number>;
  return {
    classes: classes.map((c) => c.name),
    references,
    folds,
    modes,
    recommended: recommendMode(modes, coverage),
    confusion,
    single: classes.filter((c) => c.references.length === 1).map((c) => c.name),
    calibration,
  };
}
