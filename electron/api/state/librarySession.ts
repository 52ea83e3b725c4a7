import path from 'node:path';
import { assertLibrary } from '../../engine/classify/classifyLibrary.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import { recoverMoves } from '../../engine/move/recoverMoves.js';
import { LibraryIndex } from '../../engine/store/libraryIndex.js';
import { LibraryLock } from '../../engine/store/libraryLock.js';
import type { WatchLibraryOptions } from '../../engine/watch/libraryWatcher.js';
import { readSettings, sortSettings, type StoredSettings } from './settingsFile.js';
import { SortService, type Emit } from './sortService.js';

export interface LibrarySessionOptions {
  model: () => Promise<ClipModel>;
  emit: Emit;
  watch?: WatchLibraryOptions;
  /** Who holds the library's lock while the session is open, as another ClipSort names it. */
  holder: string;
}

/**
 * One open library: its lock (no other ClipSort moves its files meanwhile), its index (unfinished moves resolved
 * on opening, as every face does), its settings and its sorting service. Closing stops sorting, finishing the
 * moves in flight, then closes the index and lets the library go.
 */
export class LibrarySession {
  readonly sort: SortService;

  private constructor(
    readonly root: string,
    readonly index: LibraryIndex,
    private readonly lock: LibraryLock,
    public settings: StoredSettings,
    /** Interrupted moves that recovery could not settle on opening; each needs a person. */
    readonly unsettledMoves: string[],
    options: LibrarySessionOptions,
  ) {
    this.sort = new SortService({
      root,
      index,
      model: options.model,
      settings: () => sortSettings(this.settings),
      emit: options.emit,
      watch: options.watch,
    });
  }

  static async open(library: string, options: LibrarySessionOptions): Promise<LibrarySession> {
    const root = path.resolve(library);
    await assertLibrary(root);
    const lock = await LibraryLock.acquire(root, options.holder);
    let index: LibraryIndex | undefined;
    try {
      index = LibraryIndex.open(root);
      const { problems } = await recoverMoves(root, index);
      const unsettled = problems.map((problem) => problem.message);
      return new LibrarySession(root, index, lock, await readSettings(root), unsettled, options);
    } catch (error) {
      index?.close();
      lock.release();
      throw error;
    }
  }

  /** The library's name and location, for the faces. */
  get info(): { name: string; path: string } {
    return { name: path.basename(this.root), path: this.root };
  }

  async close(): Promise<void> {
    try {
      await this.sort.stop();
    } finally {
      this.index.close();
      this.lock.release();
    }
  }
}
