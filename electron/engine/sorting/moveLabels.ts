/**
 * What a person's moves say about images, kept as labels (see labelStore.ts): filing an image by hand labels it
 * with its class; undoing an automatic move says the image was not of the class it was filed in; undoing a
 * person's own move takes back what it said.
 */
import type { MoveResult } from '../move/moveRequest.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import type { ReviewItem } from '../store/reviewQueue.js';

/** Labels the image the journal row `moveId` filed under `name`, from the review item it waited as, if any. */
export function labelAssignment(
  index: LibraryIndex,
  moveId: number,
  name: string,
  waiting: ReviewItem | undefined,
): void {
  const move = index.moves.get(moveId);
  if (!move) return;
  const suggested = waiting?.best ?? null;
  index.labels.add({
    sha256: move.sha256,
    class: name,
    correct: true,
    source: suggested === null ? 'assigned' : suggested === name ? 'accepted' : 'corrected',
    suggested,
    model: waiting?.model ?? null,
    mode: waiting?.mode ?? null,
    score: waiting?.score ?? null,
    batch: move.batch,
  });
}

/** The class a file was filed in by sorting: `Dataset/<class>/…`. */
const datasetClassOf = (destination: string): string | undefined =>
  destination.startsWith('Dataset/') ? destination.split('/')[1] : undefined;

/** Labels what an undo (batch `undoBatch`) put back: see the file comment. */
export function labelUndo(index: LibraryIndex, restored: readonly MoveResult[], undoBatch: string): void {
  index.transaction(() => {
    for (const { id } of restored) {
      const undo = id === null ? undefined : index.moves.get(id);
      const original = undo?.undoes == null ? undefined : index.moves.get(undo.undoes);
      if (!original) continue;
      if (original.kind !== 'sort') {
        // A person's assignment, or an undo, taken back: so is what it said.
        index.labels.withdraw(original.batch);
        continue;
      }
      const name = datasetClassOf(original.destination);
      if (!name) continue;
      index.labels.add({
        sha256: original.sha256,
        class: name,
        correct: false,
        source: 'undone',
        suggested: name,
        model: null,
        mode: null,
        score: null,
        batch: undoBatch,
      });
    }
  });
}
