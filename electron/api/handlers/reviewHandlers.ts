/** The images waiting for a person, filing one by hand, the move journal, and undoing moves. */
import { ClipSortError } from '../../engine/errors.js';
import { librarySegments, sanitiseClassName } from '../../engine/library/safePaths.js';
import { moveFile } from '../../engine/move/fileMover.js';
import { undoMoves } from '../../engine/move/undoMoves.js';
import { holdRestored } from '../../engine/sorting/holdRestored.js';
import { newBatchId } from '../../engine/store/moveJournal.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

const DEFAULT_RECENT = 100;

/** A library-relative path from a face, in the canonical form the index uses (`./a//b` → `a/b`). */
function canonical(relative: string): string {
  const segments = librarySegments(relative);
  if (!segments) {
    throw new ClipSortError('path-outside-library', `${relative}: this path leads outside the library.`);
  }
  return segments.join('/');
}

export const reviewHandlers: HandlersFor<
  'review.list' | 'review.assign' | 'moves.recent' | 'moves.undo',
  Pick<HandlerContext, 'library'>
> = {
  'review.list'(_input, context) {
    return Promise.resolve({ items: context.library().index.review.entries() });
  },

  async 'review.assign'({ file, class: name, asReference }, context) {
    const { root, index } = context.library();
    const from = canonical(file);
    const moved = await moveFile(root, index, {
      from,
      toFolder: `${asReference ? 'Classes' : 'Dataset'}/${sanitiseClassName(name)}`,
      kind: 'assign',
      batch: newBatchId(),
    });
    index.review.delete(from);
    return { file: moved.from, to: moved.to };
  },

  async 'moves.recent'({ limit }, context) {
    const moves = context
      .library()
      .index.moves.recent(limit ?? DEFAULT_RECENT)
      .map((m) => ({
        id: m.id,
        batch: m.batch,
        kind: m.kind,
        state: m.state,
        source: m.source,
        destination: m.destination,
        error: m.error,
        plannedAt: m.plannedAt,
        finishedAt: m.finishedAt,
      }));
    return Promise.resolve({ moves });
  },

  async 'moves.undo'({ last, all, batch, ids }, context) {
    const { root, index } = context.library();
    const report = await undoMoves(root, index, { last, all, batch, ids });
    holdRestored(index, report.restored);
    return {
      restored: report.restored.map(({ from, to }) => ({ from, to })),
      skipped: report.skipped.map(({ path: file, message }) => ({ file, reason: message })),
    };
  },
};
