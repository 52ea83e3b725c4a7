import { randomUUID } from 'node:crypto';
import type { Db } from './database.js';

/** Why a file moved: sorted by the classifier, assigned by a person, or put back by an undo. */
import type { MoveOrigin } from '../choices.js';

export type MoveKind = 'sort' | 'assign' | 'undo';

/**
 * Where a move stands. `planned`: written before the filesystem changed, not finished (a crash left it, or it is
 * in progress); `done`: the file is at `destination` only; `failed`: the move did not happen and the file is at
 * `source`; `rolled-back`: recovery put a half-done move back, the file is at `source`; `undone`: done, then
 * moved back by the undo row in `undoneBy`.
 */
export type MoveState = 'planned' | 'done' | 'failed' | 'rolled-back' | 'undone';

/**
 * How the file is being placed. `link`: a hard link then unlinking the source (same device); `copy`: a copy to
 * `temporary`, hard-linked to the destination; `copy-direct`: a copy written straight to the destination, for
 * filesystems without hard links.
 */
export type MoveMethod = 'link' | 'copy' | 'copy-direct';

/** One row of the journal. Paths are library-relative with forward slashes. */
export interface MoveRow {
  id: number;
  batch: string;
  kind: MoveKind;
  state: MoveState;
  source: string;
  destination: string;
  method: MoveMethod;
  temporary: string | null;
  sha256: string;
  size: number;
  mtimeMs: number;
  /** `dev:ino` of the source file when the move was planned. */
  sourceFile: string;
  /** `dev:ino` of the copy this move made (across devices), once it exists. */
  copyFile: string | null;
  /** The private name the source has while it is being removed, library-relative; set just before the rename. */
  parked: string | null;
  /** For an undo: the row it reverses. */
  undoes: number | null;
  /** For an undone row: the undo row that reversed it. */
  undoneBy: number | null;
  /** Shared by the moves of files that move as one (see fileGroups.ts); null for a file moved alone. */
  group: string | null;
  error: string | null;
  plannedAt: number;
  finishedAt: number | null;
}

/** What is known before the filesystem changes. */
export type PlannedMove = Pick<
  MoveRow,
  'batch' | 'kind' | 'source' | 'destination' | 'sha256' | 'size' | 'mtimeMs' | 'sourceFile'
> & { undoes?: number | null; group?: string | null };

interface Row {
  id: number;
  batch: string;
  kind: MoveKind;
  state: MoveState;
  source: string;
  destination: string;
  method: MoveMethod;
  temporary: string | null;
  sha256: string;
  size: number;
  mtime_ms: number;
  source_file: string;
  copy_file: string | null;
  parked: string | null;
  undoes: number | null;
  undone_by: number | null;
  move_group: string | null;
  error: string | null;
  planned_at: number;
  finished_at: number | null;
}

const toMove = (row: Row): MoveRow => ({
  id: row.id,
  batch: row.batch,
  kind: row.kind,
  state: row.state,
  source: row.source,
  destination: row.destination,
  method: row.method,
  temporary: row.temporary,
  sha256: row.sha256,
  size: row.size,
  mtimeMs: row.mtime_ms,
  sourceFile: row.source_file,
  copyFile: row.copy_file,
  parked: row.parked,
  undoes: row.undoes,
  undoneBy: row.undone_by,
  group: row.move_group,
  error: row.error,
  plannedAt: row.planned_at,
  finishedAt: row.finished_at,
});

/** A fresh batch id for moves made together. */
export function newBatchId(): string {
  return randomUUID();
}

/**
 * The `moves` table. Every change is its own committed transaction (the database is `synchronous=FULL`), because
 * each one is followed by a filesystem change that recovery must be able to explain.
 */
export class MoveJournal {
  private readonly insert;
  private readonly selectOne;

  constructor(private readonly db: Db) {
    this.insert = db.prepare<PlannedMove & { undoes: number | null; group: string | null; now: number }>(
      `INSERT INTO moves
         (batch, kind, source, destination, sha256, size, mtime_ms, source_file, undoes, move_group, planned_at)
       VALUES
         (@batch, @kind, @source, @destination, @sha256, @size, @mtimeMs, @sourceFile, @undoes, @group, @now)`,
    );
    this.selectOne = db.prepare<[number], Row>('SELECT * FROM moves WHERE id = ?');
  }

  /** Records a move about to happen; returns its id. */
  plan(move: PlannedMove): number {
    const now = Date.now();
    const result = this.insert.run({ ...move, undoes: move.undoes ?? null, group: move.group ?? null, now });
    return Number(result.lastInsertRowid);
  }

  /** Records moves about to happen together, all or none; returns their ids in order. */
  planAll(moves: readonly PlannedMove[]): number[] {
    return this.db.transaction(() => moves.map((move) => this.plan(move)))();
  }

  /** Every row of a group, in the order they were planned (the group's primary first). */
  group(group: string): MoveRow[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM moves WHERE move_group = ? ORDER BY id')
      .all(group)
      .map(toMove);
  }

  get(id: number): MoveRow | undefined {
    const row = this.selectOne.get(id);
    return row && toMove(row);
  }

  /** The name claimed in the destination folder changed (the first choice was taken). */
  setDestination(id: number, destination: string): void {
    this.db.prepare<[string, number]>('UPDATE moves SET destination = ? WHERE id = ?').run(destination, id);
  }

  /** The move copies across devices, through `temporary` (recorded before the temporary file is created). */
  startCopy(id: number, temporary: string): void {
    this.db
      .prepare<[string, number]>(
        `UPDATE moves SET method = 'copy', temporary = ?, copy_file = NULL WHERE id = ?`,
      )
      .run(temporary, id);
  }

  /** The copy is written straight to the destination (no hard links there); recorded before creating it. */
  startDirectCopy(id: number): void {
    this.db
      .prepare<[number]>(`UPDATE moves SET method = 'copy-direct', copy_file = NULL WHERE id = ?`)
      .run(id);
  }

  /** Our copy exists and is `dev:ino`; a file at the destination with this identity is ours. */
  setCopyFile(id: number, copyFile: string): void {
    this.db.prepare<[string, number]>('UPDATE moves SET copy_file = ? WHERE id = ?').run(copyFile, id);
  }

  /** The source is about to be renamed to `parked` (library-relative) to be checked and removed. */
  setParked(id: number, parked: string): void {
    this.db.prepare<[string, number]>('UPDATE moves SET parked = ? WHERE id = ?').run(parked, id);
  }

  /**
   * The file is at its destination only. An undo row also marks the row it reverses as undone, and the index
   * follows the file: its `files` row moves to the new path and it leaves the review queue.
   */
  finish(id: number): void {
    this.db.transaction(() => {
      const now = Date.now();
      this.db
        .prepare<[number, number]>(
          `UPDATE moves SET state = 'done', error = NULL, finished_at = ? WHERE id = ?`,
        )
        .run(now, id);
      this.db
        .prepare<{ id: number }>(
          `UPDATE moves SET state = 'undone', undone_by = @id
           WHERE id = (SELECT undoes FROM moves WHERE id = @id) AND state = 'done'`,
        )
        .run({ id });
      this.db
        .prepare<{ id: number }>(
          `DELETE FROM files WHERE path = (SELECT destination FROM moves WHERE id = @id)`,
        )
        .run({ id });
      this.db
        .prepare<{ id: number }>(
          `UPDATE files SET path = (SELECT destination FROM moves WHERE id = @id)
           WHERE path = (SELECT source FROM moves WHERE id = @id)`,
        )
        .run({ id });
      this.db
        .prepare<{ id: number }>(`DELETE FROM review WHERE path = (SELECT source FROM moves WHERE id = @id)`)
        .run({ id });
    })();
  }

  /** The move did not happen (`failed`) or was put back by recovery (`rolled-back`): the file is at its source. */
  fail(id: number, state: 'failed' | 'rolled-back', error: string): void {
    this.db
      .prepare<[string, string, number, number]>(
        `UPDATE moves SET state = ?, error = ?, finished_at = ? WHERE id = ?`,
      )
      .run(state, error, Date.now(), id);
  }

  /** Rows left unfinished, oldest first. */
  planned(): MoveRow[] {
    return this.db
      .prepare<[], Row>(`SELECT * FROM moves WHERE state = 'planned' ORDER BY id`)
      .all()
      .map(toMove);
  }

  /** Every row of a batch, in the order they were planned. */
  batch(batch: string): MoveRow[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM moves WHERE batch = ? ORDER BY id')
      .all(batch)
      .map(toMove);
  }

  /**
   * Done sorting and assigning moves that can still be undone, newest first: those of the `last` most recent
   * batches that have any (1 unless set), of one `batch`, the moves with these `ids`, or `all` of them.
   */
  undoable(which: { last?: number; all?: boolean; batch?: string; ids?: readonly number[] } = {}): MoveRow[] {
    const open = `state = 'done' AND kind IN ('sort', 'assign')`;
    if (which.all) {
      return this.db.prepare<[], Row>(`SELECT * FROM moves WHERE ${open} ORDER BY id DESC`).all().map(toMove);
    }
    if (which.ids !== undefined) {
      return this.db
        .prepare<[string], Row>(
          `SELECT * FROM moves WHERE ${open} AND id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`,
        )
        .all(JSON.stringify(which.ids))
        .map(toMove);
    }
    if (which.batch !== undefined) {
      return this.db
        .prepare<[string], Row>(`SELECT * FROM moves WHERE ${open} AND batch = ? ORDER BY id DESC`)
        .all(which.batch)
        .map(toMove);
    }
    return this.db
      .prepare<[number], Row>(
        `SELECT * FROM moves WHERE ${open} AND batch IN (
           SELECT batch FROM moves WHERE ${open} GROUP BY batch ORDER BY MAX(id) DESC LIMIT ?)
         ORDER BY id DESC`,
      )
      .all(which.last ?? 1)
      .map(toMove);
  }

  /** The most recent rows, newest first, for a history view. */
  recent(limit = 100): MoveRow[] {
    return this.db
      .prepare<[number], Row>('SELECT * FROM moves ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map(toMove);
  }

  /** Records that a move of `batch` created `folder` (library-relative). */
  folderCreated(batch: string, folder: string): void {
    this.db
      .prepare<[string, string]>('INSERT OR IGNORE INTO created_folders (batch, folder) VALUES (?, ?)')
      .run(batch, folder);
  }

  /** The folders these batches created, deepest first (so that a parent comes after its children). */
  foldersCreatedBy(batches: Iterable<string>): string[] {
    const folders = this.db
      .prepare<[string], { folder: string }>(
        'SELECT DISTINCT folder FROM created_folders WHERE batch IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify([...new Set(batches)]))
      .map((row) => row.folder);
    return folders.sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  }

  /** Records where the moves of `batch` were asked for. */
  setOrigin(batch: string, origin: MoveOrigin): void {
    this.db
      .prepare<[string, string]>('INSERT OR REPLACE INTO batch_origins (batch, origin) VALUES (?, ?)')
      .run(batch, origin);
  }

  /** The first row of each group (the photo the others moved with), by group. */
  leadsOf(groups: Iterable<string>): Map<string, number> {
    const rows = this.db
      .prepare<[string], { grp: string; lead: number }>(
        `SELECT move_group AS grp, MIN(id) AS lead FROM moves
         WHERE move_group IN (SELECT value FROM json_each(?)) GROUP BY move_group`,
      )
      .all(JSON.stringify([...new Set(groups)]));
    return new Map(rows.map((row) => [row.grp, row.lead]));
  }

  /** The recorded origins of these batches; a batch without one is left out. */
  originsOf(batches: Iterable<string>): Map<string, MoveOrigin> {
    const rows = this.db
      .prepare<[string], { batch: string; origin: MoveOrigin }>(
        'SELECT batch, origin FROM batch_origins WHERE batch IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify([...new Set(batches)]));
    return new Map(rows.map((row) => [row.batch, row.origin]));
  }
}
