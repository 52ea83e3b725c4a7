/**
 * Scoring labelled images as sorting would score new ones: each is left out of what the classifier is built
 * from and classified against the rest, in one mode (the probe is retrained without it).
 *
 * Up to `LEAVE_ONE_OUT_LIMIT` images, each is left out on its own (leave-one-out). With more, they are dealt into
 * `FOLDS` folds, round robin within each class, and a fold is left out at a time (k-fold cross-validation): the
 * probe is then trained `FOLDS` times rather than once per image, and a class with at most `FOLDS` references
 * still loses only one at a time.
 *
 * The labelled images are the references, then the evidence of people's decisions (evidence.ts). The modes that
 * learn from corrections (`hybrid`, `probe`) are built from the references plus the images people corrected;
 * the others from the references alone. A class whose only reference is left out has none left, and is scored
 * by its prompt, as sorting scores any class without references.
 */
import type { LabelledExample } from '../classify/calibration.js';
import { buildClassifier, type ClassifierOptions } from '../classify/classifier.js';
import { LEARNS_FROM_CORRECTIONS, NO_EVIDENCE, type Evidence } from '../classify/corrections.js';
import type { ClassEmbeddings, Mode } from '../classify/scores.js';

/** Most images evaluated one at a time; the probe trains once per image, so this bounds the wait. */
export const LEAVE_ONE_OUT_LIMIT = 100;
/** Folds beyond `LEAVE_ONE_OUT_LIMIT` images: ten-fold cross-validation, the usual choice. */
export const FOLDS = 10;

/** How many folds `images` labelled images are split into (see the file comment). */
export function foldCount(images: number): number {
  return images <= LEAVE_ONE_OUT_LIMIT ? images : FOLDS;
}

/**
 * The fold of every reference, per class: dealt round robin, continuing from one class to the next, so that each
 * class is spread over the folds and, with as many folds as references, each reference has its own.
 */
export function assignFolds(classes: readonly ClassEmbeddings[], folds: number): number[][] {
  let next = 0;
  return classes.map((c) => c.references.map(() => next++ % folds));
}

/** A labelled image scored: its best class's score, whether that was right, its class's position (−1: unknown). */
export type ScoredExample = LabelledExample & { class: number };

export interface CrossValidation {
  /** Over the references: rows are the true class, columns the predicted one. */
  confusion: number[][];
  /**
   * Every labelled image as an example for calibrating decisions. An image an undo said is not of a class
   * counts only when it is predicted into that class again (a certain error); otherwise its class is unknown.
   */
  examples: ScoredExample[];
}

/** Every labelled image scored without its fold, in one mode (see the file comment). */
export function crossValidate(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  folds: number,
  options: Omit<ClassifierOptions, 'mode' | 'trainedProbe'> = {},
  evidence: Evidence = NO_EVIDENCE,
): CrossValidation {
  const missing = classes.find((c) => !c.text);
  if (missing) throw new Error(`class ${missing.name} has no prompt embedding`);
  const position = new Map(classes.map((c, i) => [c.name, i]));
  const labelled = evidence.labelled.filter((image) => position.has(image.class));
  const refuted = evidence.refuted.filter((image) => position.has(image.class));
  const foldOf = assignFolds(classes, folds);
  let next = classes.reduce((n, c) => n + c.references.length, 0);
  const labelledFold = labelled.map(() => next++ % folds);
  const refutedFold = refuted.map(() => next++ % folds);
  const learns = LEARNS_FROM_CORRECTIONS.has(mode);
  const confusion = classes.map(() => new Array<number>(classes.length).fill(0));
  const examples: ScoredExample[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const held = classes.map((c, i) => ({
      ...c,
      references: [
        ...c.references.filter((_, r) => foldOf[i]![r] !== fold),
        ...labelled
          .filter(
            (image, j) => learns && image.corrected && image.class === c.name && labelledFold[j] !== fold,
          )
          .map((image) => image.vector),
      ],
    }));
    const classifier = buildClassifier(held, { ...options, mode });
    classes.forEach((c, i) => {
      c.references.forEach((x, r) => {
        if (foldOf[i]![r] !== fold) return;
        const ranking = classifier.rank(x);
        const predicted = position.get(ranking.best)!;
        confusion[i]![predicted]!++;
        const { score, margin } = ranking;
        examples.push({ score, margin, correct: predicted === i, class: i });
      });
    });
    labelled.forEach((image, j) => {
      if (labelledFold[j] !== fold) return;
      const ranking = classifier.rank(image.vector);
      examples.push({
        score: ranking.score,
        margin: ranking.margin,
        correct: ranking.best === image.class,
        class: position.get(image.class)!,
      });
    });
    refuted.forEach((image, j) => {
      if (refutedFold[j] !== fold) return;
      const ranking = classifier.rank(image.vector);
      if (ranking.best === image.class) {
        examples.push({ score: ranking.score, margin: ranking.margin, correct: false, class: -1 });
      }
    });
  }
  return { confusion, examples };
}
