/**
 * The names the engine and the command contract share, declared once. This module imports nothing, so that the
 * contract (and through it the renderer) can take them without the engine.
 */

/**
 * How an image is compared with a class: `avg` — mean cosine to the class's reference images; `max` — cosine to
 * its closest reference; `text` — the class's prompt embedding (zero-shot); `hybrid` — text plus a cache of the
 * references (Tip-Adapter); `probe` — a softmax regression trained on the references.
 */
export const MODES = ['avg', 'max', 'text', 'hybrid', 'probe'] as const;
export type Mode = (typeof MODES)[number];

/** Execution providers a person may ask for; `cpu` is always there. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** How the vision encoder computes: full precision, or int8 weights and activations (checked before use). */
export const PRECISIONS = ['fp32', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Uses the class names and the reference images both, and works while a class has no references yet. */
export const DEFAULT_MODE: Mode = 'hybrid';

/** When a prediction is trusted: its score and its margin over the runner-up must both reach these. */
export interface DecisionRule {
  threshold: number;
  margin: number;
}

/**
 * Defaults per mode; each mode's score lives on its own scale.
 *
 * | mode   | score                                  | threshold | margin | why                                                                                      |
 * | ------ | -------------------------------------- | --------- | ------ | ---------------------------------------------------------------------------------------- |
 * | avg    | mean cosine to the references (−1..1)  | 0.60      | 0.02   | CLIP image↔image: same kind ≈ 0.7–0.85, unrelated ≈ 0.4–0.55; a mean over varied references runs lower than the best one |
 * | max    | cosine to the closest reference        | 0.70      | 0.02   | the closest reference of the right class is usually ≥ 0.75; below 0.7 the image is like none of them |
 * | text   | softmax probability (logit scale 100)  | 0.50      | 0.20   | more likely than all other classes together, and clearly ahead of the runner-up          |
 * | hybrid | softmax probability                    | 0.50      | 0.20   | as text                                                                                  |
 * | probe  | softmax probability                    | 0.50      | 0.20   | as text                                                                                  |
 *
 * Cosine margins are small because cosines of different classes crowd together (0.02 is a near tie); a
 * probability margin of 0.2 with two classes means at least 0.6 against 0.4. With a single class a
 * probability is always 1, so only the cosine modes can send its images to review.
 */
export const DEFAULT_DECISION: Readonly<Record<Mode, Readonly<DecisionRule>>> = {
  avg: { threshold: 0.6, margin: 0.02 },
  max: { threshold: 0.7, margin: 0.02 },
  text: { threshold: 0.5, margin: 0.2 },
  hybrid: { threshold: 0.5, margin: 0.2 },
  probe: { threshold: 0.5, margin: 0.2 },
};

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

/** Results of a text search when none are asked for. */
export const DEFAULT_SEARCH_LIMIT = 50;

/** The near-duplicate threshold when none is given: with CLIP, copies, re-encodings and resizes score above it. */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.95;

/** Where a person made a batch of moves besides the review: a map selection, a search result, a cluster. */
export const MOVE_ORIGINS = ['map', 'search', 'group'] as const;
export type MoveOrigin = (typeof MOVE_ORIGINS)[number];

/** The layouts a model folder can have (see models/modelLayout.ts). */
export const MODEL_LAYOUTS = ['transformers.js', 'immich'] as const;

/**
 * What a model is the better choice for, among the catalogue's models; the faces put these into words ("best for
 * Spanish folder names").
 */
export const MODEL_STRENGTHS = [
  'fastest',
  'fast',
  'small',
  'best-english',
  'best-spanish',
  'multilingual',
  'most-languages',
] as const;
