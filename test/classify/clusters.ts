import type { ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { l2Normalise } from '../../electron/engine/inference/vectors.js';
import { random } from '../helpers/images.js';

/** Unit vectors for tables: `v(1, 1, 0)` is (1, 1, 0)/√2. */
export const v = (...xs: number[]): Float32Array => l2Normalise(Float32Array.from(xs));

export interface ClusterOptions {
  classes: number;
  perClass: number;
  dims: number;
  seed?: number;
  /** Scale of the per-image noise; 1 by default. */
  noise?: number;
  /** How much of the other classes' directions each image mixes in (0 by default): overlapping classes. */
  confusion?: number;
}

export interface Clusters {
  classes: ClassEmbeddings[];
  /** A fresh image embedding of class `c`. */
  sample: (c: number) => Float32Array;
}

/**
 * Deterministic CLIP-like embeddings, on CLIP's scales with `noise` 1: images share a common component, plus
 * their class's direction and noise (cosine ≈ 0.8 within a class, ≈ 0.55 across); prompts share a component of
 * their own (the gap between image and text embeddings) and a little of their class's direction (image↔prompt
 * cosine ≈ 0.27 for the right class, ≈ 0.22 for another).
 */
export function makeClusters(options: ClusterOptions): Clusters {
  const { classes, perClass, dims, seed = 1, noise = 1, confusion = 0 } = options;
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const direction = () => l2Normalise(Float32Array.from({ length: dims }, gaussian));
  const imageCommon = direction();
  const textCommon = direction();
  const centres = Array.from({ length: classes }, direction);
  const sample = (c: number) => {
    const n = direction();
    const mix = centres.map(() => (confusion * gaussian()) / Math.sqrt(classes));
    return l2Normalise(
      imageCommon.map((x, d) => {
        let own = centres[c]![d]!;
        for (let k = 0; k < classes; k++) own += mix[k]! * centres[k]![d]!;
        return 0.74 * x + 0.5 * own + 0.45 * noise * n[d]!;
      }),
    );
  };
  return {
    sample,
    classes: centres.map((centre, c) => ({
      name: `class-${c}`,
      references: Array.from({ length: perClass }, () => sample(c)),
      text: l2Normalise(textCommon.map((x, d) => 0.95 * x + 0.3 * imageCommon[d]! + 0.1 * centre[d]!)),
    })),
  };
}
