import { dot } from '../inference/vectors.js';

export { DEFAULT_MODE, MODES, type Mode } from '../choices.js';
export { CLIP_SCORING, type TextScoring } from '../inference/textScoring.js';

/** What a class contributes to scoring: its reference embeddings and its prompt embedding. */
export interface ClassEmbeddings {
  name: string;
  references: readonly Float32Array[];
  text?: Float32Array;
}

export interface ClassScore {
  name: string;
  score: number;
  /** True when an image mode had no references for this class and used its text prompt instead. */
  fellBack: boolean;
}

/** The outcome for one image: its best class, how sure, and every class's score. */
export interface Ranking {
  best: string;
  score: number;
  /** Best score minus the runner-up's (the whole score when there is one class). */
  margin: number;
  /** One score per class, in the classes' order. */
  scores: ClassScore[];
}

/** Picks the best class and its margin over the runner-up; ties go to the earlier class. */
export function rankScores(scores: ClassScore[]): Ranking {
  const [first, second] = [...scores].sort((a, b) => b.score - a.score) as [ClassScore?, ClassScore?];
  if (!first) throw new Error('there are no classes to rank');
  return { best: first.name, score: first.score, margin: first.score - (second?.score ?? 0), scores };
}

/** Probabilities from logits, computed stably (the largest logit is subtracted first). */
export function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Mean cosine of unit vector `x` to `references`. */
export function meanSimilarity(x: Float32Array, references: readonly Float32Array[]): number {
  let sum = 0;
  for (const r of references) sum += dot(x, r);
  return sum / references.length;
}

/** Cosine of unit vector `x` to its closest reference. */
export function maxSimilarity(x: Float32Array, references: readonly Float32Array[]): number {
  let best = -Infinity;
  for (const r of references) best = Math.max(best, dot(x, r));
  return best;
}

/** A class's prompt embedding, or a clear error when the caller did not compute it. */
export function textOf(cls: ClassEmbeddings): Float32Array {
  if (cls.text) return cls.text;
  throw new Error(
    cls.references.length === 0
      ? `class ${cls.name} has neither references nor a prompt embedding`
      : `class ${cls.name} has no prompt embedding`,
  );
}
