import type { Db } from './database.js';

/**
 * How a person labelled an image: accepting sorting's suggestion, choosing another class than it suggested,
 * filing it with no suggestion to go by, or undoing an automatic move (the image is not of that class).
 */
export type LabelSource = 'accepted' | 'corrected' | 'assigned' | 'undone';

/** What a person said about an image's content (see the `labels` table). */
export interface Label {
  sha256: string;
  class: string;
  /** True: the image is of `class`; false: it is not. */
  correct: boolean;
  source: LabelSource;
  suggested: string | null;
  model: string | null;
  mode: string | null;
  score: number | null;
  /** The moves that carried it out. */
  batch: string;
}

interface Row {
  sha256: string;
  class: string;
  correct: number;
  source: LabelSource;
  suggested: string | null;
  model: string | null;
  mode: string | null;
  score: number | null;
  batch: string;
}

/** The `labels` table: the evidence decisions are calibrated on, and what the classes learn from. */
export class LabelStore {
  private readonly insert;
  private readonly removeBatch;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO labels (sha256, class, correct, source, suggested, model, mode, score, batch, created_at)
       VALUES (@sha256, @class, @correct, @source, @suggested, @model, @mode, @score, @batch, @createdAt)`,
    );
    this.removeBatch = db.prepare('DELETE FROM labels WHERE batch = ?');
  }

  add(label: Label): void {
    this.insert.run({ ...label, correct: label.correct ? 1 : 0, createdAt: Date.now() });
  }

  /** Takes back the labels the moves of `batch` carried out (they were undone). */
  withdraw(batch: string): void {
    this.removeBatch.run(batch);
  }

  /** Changes whenever a label is added or taken back. */
  version(): string {
    const row = this.db
      .prepare<[], { n: number; last: number | null }>('SELECT COUNT(*) AS n, MAX(id) AS last FROM labels')
      .get()!;
    return `${row.n}:${row.last ?? 0}`;
  }

  /** Every label, oldest first. */
  list(): Label[] {
    return this.db
      .prepare<[], Row>('SELECT * FROM labels ORDER BY created_at, id')
      .all()
      .map((row) => ({ ...row, correct: row.correct === 1 }));
  }
}
