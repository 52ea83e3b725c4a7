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
