import { databasePath } from '../library/libraryPaths.js';
import { MoveJournal } from './moveJournal.js';
import { openDatabase, type Db } from './database.js';
import { EmbeddingStore } from './embeddingStore.js';
import { FileIndex } from './fileIndex.js';
import { LabelStore } from './labelStore.js';
import { ReviewQueue } from './reviewQueue.js';
import { assertOwnState } from './stateFolder.js';

/** A library's index: its files, embeddings, move journal, review queue and labels, in `<root>/.clipsort/library.db`. */
export class LibraryIndex {
  readonly files: FileIndex;
  readonly embeddings: EmbeddingStore;
  readonly moves: MoveJournal;
  readonly review: ReviewQueue;
  readonly labels: LabelStore;

  private constructor(private readonly db: Db) {
    this.files = new FileIndex(db);
    this.embeddings = new EmbeddingStore(db);
    this.moves = new MoveJournal(db);
    this.review = new ReviewQueue(db);
    this.labels = new LabelStore(db);
  }

  static open(root: string): LibraryIndex {
    assertOwnState(root);
    return new LibraryIndex(openDatabase(databasePath(root)));
  }

  /**
   * Rows this connection has inserted, updated or deleted since it opened: the same number means nothing in
   * the index changed (one ClipSort at a time writes a library, through one connection).
   */
  changeCount(): number {
    return (this.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
