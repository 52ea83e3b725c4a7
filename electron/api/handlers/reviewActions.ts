/**
 * Filing an image by hand and undoing moves, as every face does them: the page's `review.assign` and `moves.undo`
 * and the command line's `assign` and `undo` are these functions.
 */
import { ClipSortError } from '../../engine/errors.js';
import { librarySegments } from '../../engine/library/safePaths.js';
import { moveFile } from '../../engine/move/fileMover.js';
import { undoMoves, type UndoOptions } from '../../engine/move/undoMoves.js';
import { holdRestored } from '../../engine/sorting/holdRestored.js';
import { labelAssignment, labelUndo } from '../../engine/sorting/moveLabels.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';
import { newBatchId } from '../../engine/store/moveJournal.js';
import { datasetFolder, ensureClassFolder } from './classFolders.js';

/** A library-relative path from a face, in the canonical form the index uses (`./a//b` → `a/b`). */
export function canonical(relative: string): string {
  const segments = librarySegments(relative);
  if (!segments) {
    throw new ClipSortError('path-outside-library', `${relative}: this path leads outside the library.`);
  }
  return segments.join('/');
}

/**
 * Files `file` under the class `name`: into `Dataset/<class>/`, or `Classes/<class>/` as a reference image. A
 * class that differs only in case or Unicode form is that class; a new one gets its `Classes/` folder, so that
 * it is a class from then on. The image no longer waits for review, and is labelled with its class: evidence
 * for calibrating decisions, and a correction when sorting had suggested another class.
 */
export async function assignImage(
  root: string,
  index: LibraryIndex,
  request: { file: string; class: string; asReference?: boolean },
): Promise<{ file: string; to: string; batch: string | null }> {
  const from = canonical(request.file);
  const { name, folder } = await ensureClassFolder(root, request.class);
  const batch = newBatchId();
  const waiting = index.review.get(from);
  const moved = await moveFile(root, index, {
    from,
    toFolder: request.asReference ? folder : await datasetFolder(root, name),
    kind: 'assign',
    batch,
  });
  index.review.delete(from);
  if (moved.id !== null) labelAssignment(index, moved.id, name, waiting);
  // An image already in place made no journal row: there is nothing to undo.
  return { file: moved.from, to: moved.to, batch: moved.id === null ? null : batch };
}

/**
 * Undoes moves (see `undoMoves`); the images put back wait for review instead of being sorted again at once, and
 * an automatic move undone is a correction: the image was not of that class.
 */
export async function undoAndHold(root: string, index: LibraryIndex, options: UndoOptions) {
  const report = await undoMoves(root, index, options);
  holdRestored(index, report.restored);
  labelUndo(index, report.restored, report.batch);
  return {
    restored: report.restored.map(({ from, to }) => ({ from, to })),
    skipped: report.skipped.map(({ path: file, message }) => ({ file, reason: message })),
    removedFolders: report.removedFolders,
  };
}
