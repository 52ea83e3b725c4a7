/** The ranking job: every embedding against the library's classes, in the mode the sorter uses. */
import { buildClassifier } from '../classify/classifier.js';
import type { ClassEmbeddings, Mode, TextScoring } from '../classify/scores.js';
import { rowCount, type Embeddings } from './embeddings.js';

/** A class as it travels to the analysis process: its references packed in one block. */
export interface PackedClass {
  name: string;
  references: Embeddings;
  text: Float32Array | null;
}

export interface RankRequest {
  embeddings: Embeddings;
  classes: PackedClass[];
  mode: Mode;
  scoring: TextScoring;
}

/** Per row: the index of the best class, its score and its lead over the runner-up. */
export interface Ranks {
  best: Int32Array;
  score: Float64Array;
  margin: Float64Array;
}

const rowsOf = (e: Embeddings): Float32Array[] =>
  Array.from({ length: rowCount(e) }, (_, i) => e.data.subarray(i * e.dims, (i + 1) * e.dims));

/**
 * Ranks every row with the classifier `buildClassifier` makes for these classes (no classes: nothing to
 * rank).
 */
export function rank({ embeddings, classes, mode, scoring }: RankRequest): Ranks {
  const n = rowCount(embeddings);
  const out = { best: new Int32Array(n).fill(-1), score: new Float64Array(n), margin: new Float64Array(n) };
  if (classes.length === 0) return out;
  const unpacked: ClassEmbeddings[] = classes.map((c) => ({
    name: c.name,
    references: rowsOf(c.references),
    text: c.text ?? undefined,
  }));
  const classifier = buildClassifier(unpacked, { mode, scoring });
  const index = new Map(classes.map((c, i) => [c.name, i]));
  rowsOf(embeddings).forEach((vector, i) => {
    const ranking = classifier.rank(vector);
    out.best[i] = index.get(ranking.best)!;
    out.score[i] = ranking.score;
    out.margin[i] = ranking.margin;
  });
  return out;
}
