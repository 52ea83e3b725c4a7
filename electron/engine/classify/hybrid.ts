/**
 * The hybrid mode, after Tip-Adapter (Zhang et al., 2022): zero-shot logits plus a cache of the reference images,
 *   logit_c = 100·cos(x, t_c) + α · mean_{r∈R_c} exp(−β(1 − cos(x, r))),
 * turned into probabilities by softmax. Tip-Adapter sums the affinities over a balanced few-shot set; we average
 * them per class, so that a class with many references does not win by numbers alone.
 */
import { dot } from '../inference/vectors.js';
import { CLIP_LOGIT_SCALE, softmax, textOf, type ClassEmbeddings, type ClassScore } from './scores.js';

export interface HybridOptions {
  /** Weight of the reference cache against the zero-shot logits; 0 is the text mode. */
  alpha: number;
  /** Sharpness of the affinity: near 0 the cache ranks like `avg`, large values rank like `max`. */
  beta: number;
}

/**
 * α = 10 on the per-class mean is Tip-Adapter's α = 1 summed over ten references. With real CLIP a same-class
 * reference (cosine ≈ 0.8) has affinity ≈ 0.33 at β = 5.5 and another class's (≈ 0.6) ≈ 0.11: a difference of
 * about two logits, the size of the usual gap between zero-shot logits. So neither side drowns the other.
 * β = 5.5 is Tip-Adapter's default.
 */
export const DEFAULT_HYBRID: HybridOptions = { alpha: 10, beta: 5.5 };

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
): ClassScore[] {
  const cache = classes.map((c) =>
    c.references.length > 0 ? cacheAffinity(x, c.references, options.beta) : undefined,
  );
  const known = cache.filter((a) => a !== undefined);
  const neutral = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  const logits = classes.map(
    (c, i) => CLIP_LOGIT_SCALE * dot(x, textOf(c)) + options.alpha * (cache[i] ?? neutral),
  );
  const probabilities = softmax(logits);
  return classes.map((c, i) => ({
    name: c.name,
    score: probabilities[i]!,
    fellBack: cache[i] === undefined,
  }));
}
