/**
 * The probe mode: a multinomial softmax regression trained on the reference embeddings, regularised toward the
 * zero-shot classifier, so that a few references nudge the prompts and many references outweigh them.
 *
 * Objective, over references i of class y_i with class-balancing weights w_i = N / (C·n_{y_i}):
 *   Σ_i w_i · CE(softmax(W x_i), y_i) + λ/2 · ‖W − W₀‖²,   W₀ = s·T with s the logit scale (or 0 without prompts).
 * The data term is a sum, so its pull grows with the number of references while the prior's stays the same.
 * There is no separate bias: CLIP embeddings share a large common component, so W·x already has one.
 * The objective is strongly convex; L-BFGS finds its minimiser in a fixed order of operations, so the same
 * references always give the same weights.
 */
import { createHash } from 'node:crypto';
import { dotBlock } from '../inference/dotKernel.js';
import { CLIP_SCORING, softmax, textOf, type ClassEmbeddings, type ClassScore } from './scores.js';
import { minimise } from './lbfgs.js';
import { withDefaults } from './withDefaults.js';

export interface ProbeOptions {
  /** L2 penalty on the weights' distance from the prior, in units of one reference's loss. */
  lambda: number;
  /** Regularise toward the zero-shot classifier (the prompt embeddings at CLIP's logit scale), when every class has a prompt. */
  textPrior: boolean;
  /**
   * Stop once no logit of a unit image embedding can be further than this from the optimum's: the objective is
   * λ-strongly convex, so ‖W − W*‖ ≤ ‖gradient‖ / λ, and training stops when that is below `tolerance`.
   */
  tolerance: number;
  /** Gives up (with `converged: false` on the probe) after this many L-BFGS steps. */
  maxIterations: number;
}

/**
 * λ = 0.1: with a handful of references per class the probe leans on the prompts, with a few dozen it follows the
 * references even where the prompts are misleading (a folder name that says little). Smaller λ trusts the
 * references sooner but trains slower (the problem gets worse conditioned). The tolerance bounds logits to 0.1;
 * in practice the probabilities are then within 10⁻³ of the optimum's.
 */
export const DEFAULT_PROBE: ProbeOptions = {
  lambda: 0.1,
  textPrior: true,
  tolerance: 0.1,
  maxIterations: 500,
};

/** A trained probe: logits = weights · x for a unit image embedding x. */
export interface Probe {
  classes: string[];
  /** Classes without references, trained on their prompt embedding as the only (pseudo-)reference. */
  fellBack: string[];
  dims: number;
  /** classes × dims, row-major. */
  weights: Float64Array;
  /** Whether the weights were regularised toward the prompts. */
  textPrior: boolean;
  iterations: number;
  converged: boolean;
}

/**
 * The training set, padded with zeros to a multiple of four rows and columns for the unrolled loops (padding
 * rows weigh nothing, padding columns stay zero). `x` is rows × dims, `xt` its transpose.
 */
interface Samples {
  x: Float64Array;
  xt: Float64Array;
  labels: Int32Array;
  weights: Float64Array;
  rows: number;
  dims: number;
  fellBack: string[];
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** The training set: every reference, and the prompt embedding of each class that has none. */
function samplesOf(classes: readonly ClassEmbeddings[]): Samples & { count: number; size: number } {
  const list: { vector: Float32Array; label: number }[] = [];
  const fellBack: string[] = [];
  classes.forEach((c, label) => {
    if (c.references.length === 0) fellBack.push(c.name);
    const vectors = c.references.length > 0 ? c.references : [textOf(c)];
    for (const vector of vectors) list.push({ vector, label });
  });
  const size = list[0]!.vector.length;
  const count = list.length;
  const rows = roundUp4(count);
  const dims = roundUp4(size);
  const perClass = new Float64Array(classes.length);
  for (const { label } of list) perClass[label]!++;
  const x = new Float64Array(rows * dims);
  const xt = new Float64Array(rows * dims);
  const labels = new Int32Array(rows);
  const weights = new Float64Array(rows);
  list.forEach(({ vector, label }, i) => {
    if (vector.length !== size)
      throw new Error(`embeddings of different sizes: ${vector.length} and ${size}`);
    x.set(vector, i * dims);
    for (let d = 0; d < size; d++) xt[d * rows + i] = vector[d]!;
    labels[i] = label;
    weights[i] = count / (classes.length * perClass[label]!);
  });
  return { x, xt, labels, weights, rows, dims, fellBack, count, size };
}

/**
 * The objective at `w` (classes × dims; see the file comment); writes its gradient into `grad`. `z` (classes ×
 * rows) is scratch space for the logits.
 */
function objective(
  s: Samples,
  classes: number,
  lambda: number,
  prior: Float64Array,
  w: Float64Array,
  grad: Float64Array,
  z: Float64Array,
): number {
  const { x, xt, labels, weights, rows, dims } = s;
  dotBlock(w, 0, classes, x, 0, rows, dims, z, 0, rows);
  // Cross-entropy per sample; z becomes ∂loss/∂logit = w_i (p − onehot).
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const weight = weights[i]!;
    let top = -Infinity;
    for (let c = 0; c < classes; c++) top = Math.max(top, z[c * rows + i]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[c * rows + i]! - top);
    const label = labels[i]!;
    loss += weight * (Math.log(sum) + top - z[label * rows + i]!);
    for (let c = 0; c < classes; c++) {
      const o = c * rows + i;
      z[o] = weight * (Math.exp(z[o]! - top) / sum - (c === label ? 1 : 0));
    }
  }
  dotBlock(z, 0, classes, xt, 0, dims, rows, grad, 0, dims);
  for (let k = 0; k < w.length; k++) {
    const diff = w[k]! - prior[k]!;
    grad[k]! += lambda * diff;
    loss += 0.5 * lambda * diff * diff;
  }
  return loss;
}

/** Trains a probe on the classes' references (see the file comment); throws if a class has neither references nor a prompt. */
export function trainProbe(
  classes: readonly ClassEmbeddings[],
  options: Partial<ProbeOptions> = {},
  logitScale = CLIP_SCORING.scale,
): Probe {
  const { lambda, textPrior, tolerance, maxIterations } = withDefaults(DEFAULT_PROBE, options);
  if (classes.length === 0) throw new Error('there are no classes to train a probe on');
  if (!(lambda > 0)) throw new Error(`the probe's λ must be positive, got ${lambda}`);
  const s = samplesOf(classes);
  const C = classes.length;
  // The prior is the zero-shot classifier: logits s·cos(x, t_c), s the model's logit scale.
  const usePrior = textPrior && classes.every((c) => c.text);
  const prior = new Float64Array(C * s.dims);
  if (usePrior)
    classes.forEach((c, k) =>
      prior.set(
        c.text!.map((t) => logitScale * t),
        k * s.dims,
      ),
    );
  const padded = Float64Array.from(prior);
  const z = new Float64Array(C * s.rows);
  const { iterations, converged } = minimise(
    (w, grad) => objective(s, C, lambda, prior, w, grad, z),
    padded,
    lambda * tolerance,
    maxIterations,
  );
  const weights = new Float64Array(C * s.size);
  for (let c = 0; c < C; c++) weights.set(padded.subarray(c * s.dims, c * s.dims + s.size), c * s.size);
  return {
    classes: classes.map((c) => c.name),
    fellBack: s.fellBack,
    dims: s.size,
    weights,
    textPrior: usePrior,
    iterations,
    converged,
  };
}

/** Class probabilities of the probe for a unit image embedding. */
export function probeScores(probe: Probe, x: Float32Array): ClassScore[] {
  if (x.length !== probe.dims) throw new Error(`the probe takes ${probe.dims} dimensions, not ${x.length}`);
  const logits = probe.classes.map((_, c) => {
    let z = 0;
    for (let d = 0; d < probe.dims; d++) z += probe.weights[c * probe.dims + d]! * x[d]!;
    return z;
  });
  const fellBack = new Set(probe.fellBack);
  return softmax(logits).map((p, c) => ({
    name: probe.classes[c]!,
    score: p,
    fellBack: fellBack.has(probe.classes[c]!),
  }));
}

/**
 * A key of everything a probe is trained from (class names, references, prompts, options): a probe cached under
 * it can be reused until the references change.
 */
export function probeKey(
  classes: readonly ClassEmbeddings[],
  options: Partial<ProbeOptions> = {},
  logitScale = CLIP_SCORING.scale,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([withDefaults(DEFAULT_PROBE, options), logitScale]));
  const bytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  for (const c of classes) {
    hash.update(JSON.stringify([c.name, c.references.length, c.text?.length ?? -1]));
    for (const r of c.references) hash.update(bytes(r));
    if (c.text) hash.update(bytes(c.text));
  }
  return hash.digest('hex');
}
