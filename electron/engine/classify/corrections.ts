/**
 * Learning from corrections: the images people filed under another class than sorting suggested are taken in as
 * references of their true class by the modes that learn from them, for sorting and its evaluation alike.
 */
import type { ClassEmbeddings, Mode } from './scores.js';

/** Images that are not references, labelled by people, as embeddings. */
export interface Evidence {
  /** Images a person filed under `class`; `corrected` when sorting had suggested another class. */
  labelled: { vector: Float32Array; class: string; corrected: boolean }[];
  /** Images an undo said are not of `class`. */
  refuted: { vector: Float32Array; class: string }[];
}

export const NO_EVIDENCE: Evidence = { labelled: [], refuted: [] };

/** The modes whose classes take in the images people corrected, as references of their true class. */
export const LEARNS_FROM_CORRECTIONS: ReadonlySet<Mode> = new Set(['hybrid', 'probe']);

/** The classes as sorting builds them in `mode`: with the corrected images when the mode learns from them. */
export function classesWithCorrections(
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  evidence: Evidence,
): ClassEmbeddings[] {
  if (!LEARNS_FROM_CORRECTIONS.has(mode)) return [...classes];
  return classes.map((c) => ({
    ...c,
    references: [
      ...c.references,
      ...evidence.labelled.filter((image) => image.corrected && image.class === c.name).map((i) => i.vector),
    ],
  }));
}
