/**
 * Putting sorted files back where they came from. Each undo is itself a journalled move (kind `undo`) through the
 * safe mover, so it never replaces a file (a taken original name gets a number) and survives a crash like any
 * move; the rows it reverses are marked undone so that nothing is undone twice. A file modified or removed since
 * it was moved is reported and left alone. Folders the undone moves created go too, once they are empty again.
 */
import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { FileMover } from './fileMover.js';
import type { MoveResult } from './moveRequest.js';
import { newBatchId, type MoveRow } from '../store/moveJournal.js';
import type { BusyRetry } from './patientUnlink.js';
import type { MoveProblem } from './recoverMoves.js';

export interface UndoOptions {
  /** Undo the moves of the `last` most recent batches that still have any (1 unless set). */
  last?: number;
  /** Undo every move that can still be undone. */
  all?: boolean;
  /** Undo one batch, by id. */
  batch?: string;
  /** Undo just these moves (journal row ids); those that cannot be undone are reported as skipped. */
  ids?: readonly number[];
  retry?: BusyRetry;
}

export interface UndoReport {
  /** The batch id of the undo moves. */
  batch: string;
  /** Files put back: `from` is where they were, `to` where they are now. */
  restored: MoveResult[];
  /** Moves that were not undone, and why; `path` is where the file was expected. */
  skipped: MoveProblem[];
  /** Folders the undone moves had created, removed because they were empty again (library-relative). */
  removedFolders: string[];
}

function skipReason(error: ClipSortError, destination: string): string {
  switch (error.code) {
    case 'file-missing':
      return `${destination} is no longer there (moved or deleted since); nothing was put back.`;
    case 'file-changed':
      return `${destination} was modified after it was moved there; it was left in place.`;
    default:
      return error.message;
  }
}

/** Why the move `id`, asked for by id, cannot be undone. */
function notUndoable(index: LibraryIndex, id: number): MoveProblem {
  const row = index.moves.get(id);
  if (!row) return { id, path: `#${id}`, code: 'move-unknown', message: `There is no move #${id}.` };
  const why =
    row.kind === 'undo'
      ? 'it is itself an undo'
      : row.state === 'undone'
        ? 'it was undone already'
        : row.state === 'planned'
          ? 'it is still in progress'
          : 'it did not happen';
  return {
    id,
    path: row.destination,
    code: 'not-undoable',
    message: `The move of ${row.source} to ${row.destination} was not undone: ${why}.`,
  };
}

/**
 * Undoes moves, newest first: by default those of the most recent batch. Each file goes back to its original path
 * (a numbered name if that is taken now), byte for byte the file that was moved.
 */
export async function undoMoves(
  root: string,
  index: LibraryIndex,
  options: UndoOptions = {},
): Promise<UndoReport> {
  const batch = newBatchId();
  const mover = new FileMover(root, index, options.retry ? { retry: options.retry } : {});
  const report: UndoReport = { batch, restored: [], skipped: [], removedFolders: [] };
  const rows = index.moves.undoable(options);
  const undoneBatches = new Set<string>();
  if (options.ids) {
    const found = new Set(rows.map((row) => row.id));
    for (const id of new Set(options.ids)) if (!found.has(id)) report.skipped.push(notUndoable(index, id));
  }
  for (const [row, ...companions] of movedTogether(index, rows)) {
    try {
      const back = (moved: MoveRow) => ({
        from: moved.destination,
        name: path.posix.basename(moved.source),
        expectSha256: moved.sha256,
        undoes: moved.id,
      });
      const result = await mover.move({
        ...back(row),
        toFolder: path.posix.dirname(row.source),
        kind: 'undo',
        batch,
        // Its last change was our move (a file edited since has another sha256 and is refused).
        settled: true,
        companions: companions.map(back),
      });
      if (result.id === null) {
        const message = `${row.destination} is already in the folder of ${row.source}; nothing was moved.`;
        report.skipped.push({ id: row.id, path: row.destination, code: 'already-there', message });
      } else {
        report.restored.push(result);
        undoneBatches.add(row.batch);
      }
    } catch (error) {
      if (!(error instanceof ClipSortError)) throw error;
      report.skipped.push({
        id: row.id,
        path: row.destination,
        code: error.code,
        message: skipReason(error, row.destination),
      });
    }
  }
  report.removedFolders = await removeEmptyFolders(root, index.moves.foldersCreatedBy(undoneBatches));
  return report;
}

/**
 * The rows to undo, newest first, each with the rows of the files that moved with it (see fileGroups.ts): a
 * group goes back whole, even when only one of its moves was asked for, and the row it was led by comes first.
 */
function movedTogether(index: LibraryIndex, rows: readonly MoveRow[]): [MoveRow, ...MoveRow[]][] {
  const units: [MoveRow, ...MoveRow[]][] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.group === null) {
      units.push([row]);
    } else if (!seen.has(row.group)) {
      seen.add(row.group);
      const members = index.moves.group(row.group).filter((member) => member.state === 'done');
      units.push([members[0] ?? row, ...members.slice(1)]);
    }
  }
  return units;
}

/**
 * Removes each of `folders` that is empty now, deepest first; anything in one (a file added since, a file not put
 * back) keeps it. The library's own folders (`Images`, `Classes`, `Dataset`) always stay.
 */
async function removeEmptyFolders(root: string, folders: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of folders) {
    if (!folder.includes('/')) continue;
    try {
      await rmdir(resolveLibraryPath(root, folder));
      removed.push(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
  }
  return removed;
}
