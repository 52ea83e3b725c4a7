import { dot } from '../inference/vectors.js';

/**
 * How an image is compared with a class: `avg` — mean cosine to the class's reference images; `max` — cosine to
 * its closest reference; `text` — cosine to the class's prompt embedding (zero-shot).
 */
export const MODES = ['avg', 'max', 'text'] as const;
export type Mode = (typeof MODES)[number];

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

/** The score of one class for a unit-length image embedding `x`. */
export function scoreClass(x: Float32Array, cls: ClassEmbeddings, mode: Mode): ClassScore {
  const useText = mode === 'text' || cls.references.length === 0;
  if (useText) {
    if (!cls.text) throw new Error(`class ${cls.name} has neither references nor a prompt embedding`);
    return { name: cls.name, score: dot(x, cls.text), fellBack: mode !== 'text' };
  }
  const similarities = cls.references.map((r) => dot(x, r));
  const score =
    mode === 'max'
      ? Math.max(...similarities)
      : similarities.reduce((a, b) => a + b, 0) / similarities.length;
  return { name: cls.name, score, fellBack: false };
}

/** The outcome for one image: its best class, how sure, and every class's score. */
export interface Ranking {
  best: string;
  score: number;
  /** Best score minus the runner-up's (the whole score when there is one class). */
  margin: number;
  scores: ClassScore[];
}

/** Scores every class and ranks them. */
export function rankClasses(x: Float32Array, classes: readonly ClassEmbeddings[], mode: Mode): Ranking {
  if (classes.length === 0) throw new Error('there are no classes to rank');
  const scores = classes.map((cls) => scoreClass(x, cls, mode));
  const sorted = [...scores].sort((a, b) => b.score - a.score);
  const [first, second] = sorted as [ClassScore, ClassScore | undefined];
  return { best: first.name, score: first.score, margin: first.score - (second?.score ?? 0), scores };
}
