/**
 * The evidence a library's decisions are calibrated on besides its reference images: what people said about
 * other images (labelStore.ts), as embeddings of the model being evaluated, and what their corrections say about
 * the classes.
 */
import type { Evidence } from '../classify/corrections.js';
import type { ClassSet } from '../sorting/classSet.js';
import type { Label } from '../store/labelStore.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

/**
 * The evidence of `labels` for these classes under one model: the newest label of each image decides (a person
 * who undid an automatic move and then filed the image said where it belongs), images without an embedding of
 * the model and reference images (`references`, by sha256) are left out, as are labels of other classes.
 */
export function evidenceOf(
  labels: readonly Label[],
  classes: readonly string[],
  references: ReadonlySet<string>,
  embedding: (sha256: string) => Float32Array | undefined,
): Evidence {
  const known = new Set(classes);
  const newest = new Map<string, Label>();
  for (const label of labels) newest.set(label.sha256, label);
  const evidence: Evidence = { labelled: [], refuted: [] };
  for (const label of newest.values()) {
    if (!known.has(label.class) || references.has(label.sha256)) continue;
    const vector = embedding(label.sha256);
    if (!vector) continue;
    if (label.correct) {
      evidence.labelled.push({ vector, class: label.class, corrected: label.source === 'corrected' });
    } else evidence.refuted.push({ vector, class: label.class });
  }
  return evidence;
}

/** The evidence of a library's labels for its classes as read now, in the embeddings of `model`. */
export function libraryEvidence(index: LibraryIndex, model: string, set: ClassSet): Evidence {
  return evidenceOf(
    index.labels.list(),
    set.classes.map((c) => c.name),
    new Set(set.referenceHashes),
    (sha256) => index.embeddings.get(sha256, model),
  );
}

/** What people's corrections say about the classes: how often each was wrong, and what for. */
export interface Corrections {
  /** Per class: images a person moved into it away from sorting's suggestion, and automatic moves into it undone. */
  perClass: Record<string, { corrected: number; undone: number }>;
  /** Suggested class → the class a person chose instead, most frequent first. */
  confusions: { suggested: string; chosen: string; count: number }[];
}

/** The corrections among `labels`, for these classes (see `Corrections`). */
export function correctionsOf(labels: readonly Label[], classes: readonly string[]): Corrections {
  const perClass = Object.fromEntries(classes.map((name) => [name, { corrected: 0, undone: 0 }]));
  const pairs = new Map<string, { suggested: string; chosen: string; count: number }>();
  for (const label of labels) {
    const counts = perClass[label.class];
    if (!counts) continue;
    if (label.source === 'undone') counts.undone++;
    if (label.source !== 'corrected' || label.suggested === null) continue;
    counts.corrected++;
    const key = JSON.stringify([label.suggested, label.class]);
    const pair = pairs.get(key) ?? { suggested: label.suggested, chosen: label.class, count: 0 };
    pair.count++;
    pairs.set(key, pair);
  }
  const confusions = [...pairs.values()].sort(
    (a, b) => b.count - a.count || a.suggested.localeCompare(b.suggested) || a.chosen.localeCompare(b.chosen),
  );
  return { perClass, confusions };
}
