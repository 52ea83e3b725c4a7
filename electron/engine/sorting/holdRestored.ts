import type { MoveResult } from '../move/moveRequest.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

/**
 * Files an undo put back into `Images/` wait for review instead of being sorted again at once: a person took
 * them back on purpose. They are considered again only when they change.
 */
export function holdRestored(index: LibraryIndex, restored: readonly MoveResult[]): void {
  index.transaction(() => {
    for (const { id, to } of restored) {
      const move = id === null ? undefined : index.moves.get(id);
      if (!move || !to.startsWith('Images/')) continue;
      index.review.put({
        path: to,
        sha256: move.sha256,
        size: move.size,
        mtimeMs: move.mtimeMs,
        reason: 'undone',
        best: null,
        score: null,
        margin: null,
        top: [],
        model: null,
        mode: null,
      });
    }
  });
}
