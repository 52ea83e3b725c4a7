import type { Db } from './database.js';

/** Why an image waits in Images/ instead of being sorted. */
export type ReviewReason = 'unsure' | 'undone';

/** An image waiting for a person: its best guesses, kept until it is sorted, assigned or changed. */
export interface ReviewItem {
  path: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  reason: ReviewReason;
  best: string | null;
  score: number | null;
  margin: number | null;
  /** The best classes, most likely first. */
  top: { name: string; score: number }[];
  /** The model and mode that made the suggestion (null for an undo's, which has none). */
  model: string | null;
  mode: string | null;
}

/** A review item as the faces show it: library-relative path, why, and the best guesses. */
export type ReviewEntry = Pick<ReviewItem, 'reason' | 'best' | 'score' | 'margin' | 'top'> & { file: string };

interface Row {
  path: string;
  sha256: string;
  size: number;
  mtime_ms: number;
  reason: ReviewReason;
  best: string | null;
  score: number | null;
  margin: number | null;
  top: string;
  model: string | null;
  mode: string | null;
}

const toItem = (row: Row): ReviewItem => ({
  path: row.path,
  sha256: row.sha256,
  size: row.size,
  mtimeMs: row.mtime_ms,
  reason: row.reason,
  best: row.best,
  score: row.score,
  margin: row.margin,
  top: JSON.parse(row.top) as ReviewItem['top'],
  model: row.model,
  mode: row.mode,
});

/** The `review` table. */
export class ReviewQueue {
  private readonly selectOne;
  private readonly upsert;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[string], Row>('SELECT * FROM review WHERE path = ?');
    this.upsert = db.prepare(
      `INSERT INTO review (path, sha256, size, mtime_ms, reason, best, score, margin, top, model, mode, created_at)
       VALUES (@path, @sha256, @size, @mtimeMs, @reason, @best, @score, @margin, @top, @model, @mode, @createdAt)
       ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
         mtime_ms = excluded.mtime_ms, reason = excluded.reason, best = excluded.best, score = excluded.score,
         margin = excluded.margin, top = excluded.top, model = excluded.model, mode = excluded.mode,
         created_at = excluded.created_at`,
    );
    this.remove = db.prepare('DELETE FROM review WHERE path = ?');
  }

  get(path: string): ReviewItem | undefined {
    const row = this.selectOne.get(path);
    return row && toItem(row);
  }

  put(item: ReviewItem): void {
    this.upsert.run({ ...item, top: JSON.stringify(item.top), createdAt: Date.now() });
  }

  delete(path: string): void {
    this.remove.run(path);
  }

  /** Every waiting image, oldest first. */
  list(): ReviewItem[] {
    return this.db.prepare<[], Row>('SELECT * FROM review ORDER BY created_at, path').all().map(toItem);
  }

  /** Every waiting image as the faces show it, oldest first. */
  entries(): ReviewEntry[] {
    return this.list().map(({ path, reason, best, score, margin, top }) => ({
      file: path,
      reason,
      best,
      score,
      margin,
      top,
    }));
  }
}
