/**
 * The hybrid mode, after Tip-Adapter (Zhang et al., 2022): zero-shot logits plus a cache of the reference images,
 *   logit_c = s·cos(x, t_c) + α · mean_{r∈R_c} exp(−β(1 − cos(x, r))),
 * with s the model's logit scale (100 for CLIP), turned into probabilities by softmax. Tip-Adapter sums the affinities over a balanced few-shot set; we average
 * them per class, so that a class with many references does not win by numbers alone.
 */
import { DEFAULT_HYBRID, type HybridOptions } from '../choices.js';
import { dot } from '../inference/vectors.js';
import { CLIP_SCORING, softmax, textOf, type ClassEmbeddings, type ClassScore } from './scores.js';

export { DEFAULT_HYBRID, type HybridOptions } from '../choices.js';

/** Mean Tip-Adapter affinity exp(−β(1 − cos)) of unit vector `x` to `references`. */
export function cacheAffinity(x: Float32Array, references: readonly Float32Array[], beta: number): number {
  let sum = 0;
  for (const r of references) sum += Math.exp(-beta * (1 - dot(x, r)));
  return sum / references.length;
}

/**
 * Class probabilities of the hybrid mode. A class without references has no cache of its own: it gets the mean
 * cache term of the classes that have one (neither a bonus nor a penalty), and is marked `fellBack`.
 */
export function hybridScores(
  x: Float32Array,
  classes: readonly ClassEmbeddings[],
  options: HybridOptions = DEFAULT_HYBRID,
  logitScale = CLIP_SCORING.scale,
): ClassScore[] {
  const cache = classes.map((c) =>
    c.references.length > 0 ? cacheAffinity(x, c.references, options.beta) : undefined,
  );
  const known = cache.filter((a) => a !== undefined);
  const neutral = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  const logits = classes.map(
    (c, i) => logitScale * dot(x, textOf(c)) + options.alpha * (cache[i] ?? neutral),
  );
  const probabilities = softmax(logits);
  return classes.map((c, i) => ({
    name: c.name,
    score: probabilities[i]!,
    fellBack: cache[i] === undefined,
  }));
}
