/**
 * Which mode suits a library's classes: each reference image is left out of its class and classified against the
 * classes as they are without it, in every mode (the probe is retrained without it).
 *
 * Up to `LEAVE_ONE_OUT_LIMIT` references, each is left out on its own (leave-one-out). With more, the references
 * are dealt into `FOLDS` folds, round robin within each class, and a fold is left out at a time (k-fold cross-
 * validation): the probe is then trained `FOLDS` times rather than once per reference, and a class with at most
 * `FOLDS` references still loses only one at a time.
 *
 * A class whose only reference is left out has none left, and is scored the way sorting scores any class without
 * references: by its prompt. So its image still counts, and measures what the prompt alone achieves for that
 * class; `single` names such classes so that a face can say so.
 */
import { calibrate, type Calibration, type LabelledExample } from '../classify/calibration.js';
import { buildClassifier } from '../classify/classifier.js';
import type { TextScoring } from '../classify/scores.js';
import type { HybridOptions } from '../classify/hybrid.js';
import type { ProbeOptions } from '../classify/probe.js';
import { MODES, type ClassEmbeddings, type Mode } from '../classify/scores.js';

/** Most references evaluated one at a time; the probe trains once per reference, so this bounds the wait. */
export const LEAVE_ONE_OUT_LIMIT = 100;
/** Folds beyond `LEAVE_ONE_OUT_LIMIT` references: ten-fold cross-validation, the usual choice. */
export const FOLDS = 10;

/**
 * Which mode to recommend when accuracies tie: the default `hybrid` first (prompts and references both), then the
 * probe (also both), then the image modes (`avg`, steadier than `max` against one odd reference), and `text`
 * last, as it ignores the references a person chose.
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

/** A mode's calibrated rule (see calibration.ts), with what it does to each class's references. */
export interface ModeCalibration extends Calibration {
  maxError: number;
  /** Per class: its references, the share the rule files, and the share of those filed in the wrong class. */
  perClass: Record<string, { labelled: number; coverage: number; error: number }>;
  /** The share filed and the share of those wrong for every cut on the score, loosest last (at most 50 points). */
  curve: { coverage: number; error: number }[];
}

const CURVE_POINTS = 50;

/** Coverage and error of the references for every cut on the score, thinned to `CURVE_POINTS`. */
function riskCoverage(examples: readonly LabelledExample[]): { coverage: number; error: number }[] {
  const sorted = [...examples].sort((a, b) => b.score - a.score);
  const curve: { coverage: number; error: number }[] = [];
  let wrong = 0;
  sorted.forEach((example, i) => {
    if (!example.correct) wrong++;
    // A cut files every example tied with it: a point where the score changes, or the last.
    if (i + 1 < sorted.length && sorted[i + 1]!.score === example.score) return;
    curve.push({ coverage: (i + 1) / sorted.length, error: wrong / (i + 1) });
  });
  const every = Math.ceil(curve.length / CURVE_POINTS);
  return curve.filter((_, i) => i % every === every - 1 || i === curve.length - 1);
}

export interface ClassesEvaluation {
  classes: string[];
  /** Reference images classified (every reference of every class). */
  references: number;
  /** How many parts the references were split into: `references` itself means leave-one-out. */
  folds: number;
  /** Share (0–1) of references classified into their own class, per mode; null with nothing to tell apart. */
  modes: Record<Mode, number | null>;
  recommended: Mode | null;
  /** Per mode: rows are the true class, columns the predicted one, in `classes` order. */
  confusion: Record<Mode, number[][]>;
  /** Classes with a single reference, scored by their prompt when it is left out. */
  single: string[];
  /** Per mode, the rule calibrated on the references as scored here; null with nothing to tell apart. */
  calibration: Record<Mode, ModeCalibration | null>;
}

/** How many folds `references` reference images are split into (see the file comment). */
export function foldCount(references: number): number {
  return references <= LEAVE_ONE_OUT_LIMIT ? references : FOLDS;
}

/**
 * The fold of every reference, per class: dealt round robin, continuing from one class to the next, so that each
 * class is spread over the folds and, with as many folds as references, each reference has its own.
 */
export function assignFolds(classes: readonly ClassEmbeddings[], folds: number): number[][] {
  let next = 0;
  return classes.map((c) => c.references.map(() => next++ % folds));
}

/** The confusion matrix of one mode: rows are the true class, columns the predicted one. */
export function crossValidatedConfusion(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  folds: number,
  options: ModeAccuracyOptions = {},
): number[][] {
  return crossValidate(classes, mode, folds, options).confusion;
}

/**
 * Every reference scored by the classes without its fold: the confusion matrix, and each reference as a labelled
 * example (the score of its best class, and whether that was its own) for calibrating decisions.
 */
function crossValidate(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  folds: number,
  options: ModeAccuracyOptions,
): { confusion: number[][]; examples: (LabelledExample & { class: number })[] } {
  const missing = classes.find((c) => !c.text);
  if (missing) throw new Error(`class ${missing.name} has no prompt embedding`);
  const position = new Map(classes.map((c, i) => [c.name, i]));
  const foldOf = assignFolds(classes, folds);
  const confusion = classes.map(() => new Array<number>(classes.length).fill(0));
  const examples: (LabelledExample & { class: number })[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const held = classes.map((c, i) => ({
      ...c,
      references: c.references.filter((_, r) => foldOf[i]![r] !== fold),
    }));
    const classifier = buildClassifier(held, { mode, ...options });
    classes.forEach((c, i) => {
      c.references.forEach((x, r) => {
        if (foldOf[i]![r] !== fold) return;
        const ranking = classifier.rank(x);
        const predicted = position.get(ranking.best)!;
        confusion[i]![predicted]!++;
        examples.push({ score: ranking.score, correct: predicted === i, class: i });
      });
    });
  }
  return { confusion, examples };
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

/** The most accurate mode, ties broken by `RECOMMENDATION_ORDER`; null when no mode has an accuracy. */
export function recommendMode(accuracy: Readonly<Record<Mode, number | null>>): Mode | null {
  let best: Mode | null = null;
  for (const mode of RECOMMENDATION_ORDER) {
    const value = accuracy[mode];
    if (value !== null && (best === null || value > accuracy[best]!)) best = mode;
  }
  return best;
}

/**
 * Cross-validated accuracy and confusion of every mode over the classes' references. Every class needs its
 * prompt embedding. With fewer than two classes there is nothing to tell apart: accuracies are null.
 */
export function evaluateModes(
  classes: readonly ClassEmbeddings[],
  options: ModeAccuracyOptions = {},
): ClassesEvaluation {
  const references = classes.reduce((n, c) => n + c.references.length, 0);
  const comparable = classes.length >= 2 && references > 0;
  const folds = comparable ? foldCount(references) : 0;
  const runs = Object.fromEntries(
    MODES.map((mode) => [mode, comparable ? crossValidate(classes, mode, folds, options) : null]),
  ) as Record<Mode, ReturnType<typeof crossValidate> | null>;
  const confusion = Object.fromEntries(
    MODES.map((mode) => [mode, runs[mode]?.confusion ?? classes.map(() => classes.map(() => 0))]),
  ) as Record<Mode, number[][]>;
  const maxError = options.maxError ?? DEFAULT_MAX_ERROR;
  const calibration = Object.fromEntries(
    MODES.map((mode) => {
      const run = runs[mode];
      return [mode, run ? calibrateMode(classes, run.examples, maxError) : null];
    }),
  ) as Record<Mode, ModeCalibration | null>;
  const modes = Object.fromEntries(MODES.map((mode) => [mode, accuracyOf(confusion[mode])])) as Record<
    Mode,
    number | null
  >;
  return {
    classes: classes.map((c) => c.name),
    references,
    folds,
    modes,
    recommended: recommendMode(modes),
    confusion,
    single: classes.filter((c) => c.references.length === 1).map((c) => c.name),
    calibration,
  };
}

/** The share of filed images allowed in the wrong class when nobody says otherwise. */
export const DEFAULT_MAX_ERROR = 0.02;

/** Calibrates a mode on its cross-validated references, and says what the rule does to each class. */
function calibrateMode(
  classes: readonly ClassEmbeddings[],
  examples: readonly (LabelledExample & { class: number })[],
  maxError: number,
): ModeCalibration {
  const calibration = calibrate(examples, { maxError });
  const perClass = Object.fromEntries(
    classes.map((c, i) => {
      const own = examples.filter((example) => example.class === i);
      const filed = own.filter((example) => calibration.cut !== null && example.score >= calibration.cut);
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
  return { ...calibration, maxError, perClass, curve: riskCoverage(examples) };
}
