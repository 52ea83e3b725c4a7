import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../../engine/errors.js';
import { assertLibrary } from '../../engine/classify/classifyLibrary.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import { recoverMoves } from '../../engine/move/recoverMoves.js';
import { LibraryIndex } from '../../engine/store/libraryIndex.js';
import { describeHolder, LibraryLock } from '../../engine/store/libraryLock.js';
import type { WatchLibraryOptions } from '../../engine/watch/libraryWatcher.js';
import {
  applyChange,
  readSettings,
  sortSettings,
  systemLanguage,
  type StoredSettings,
} from './settingsFile.js';
import { SortService, type Emit } from './sortService.js';

export interface LibrarySessionOptions {
  model: () => Promise<ClipModel>;
  emit: Emit;
  watch?: WatchLibraryOptions;
  /** Who holds the library's lock while the session is open, as another ClipSort names it. */
  holder: string;
  /**
   * `moves` (the default): hold the lock for as long as the session is open, to sort and move files. `read`: a
   * look without moving anything, which works while another ClipSort holds the library; interrupted moves are
   * settled first only if the library is free (otherwise its holder settles them).
   */
  access?: 'moves' | 'read';
  /**
   * `folder`: any folder of images, not necessarily a library (a captioned evaluation set), opened to look only,
   * with an index of its own in `<folder>/.clipsort/`. A library (the default) must have Images/, Classes/ and
   * Dataset/.
   */
  kind?: 'library' | 'folder';
  /** Wait for another holder to let the library go instead of failing with `library-busy`. */
  wait?: boolean;
  /** Told once, with a line for people, when another ClipSort holds the library and the session waits for it. */
  onWait?: (message: string) => void;
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
    /** Held for a session that moves files; none for a read-only one. */
    private readonly lock: LibraryLock | undefined,
    public settings: StoredSettings,
    /** Interrupted moves that recovery could not settle on opening; each needs a person. */
    readonly unsettledMoves: string[],
    options: LibrarySessionOptions,
  ) {
    this.sort = new SortService({
      root,
      index,
      model: options.model,
      settings: (run) => ({
        ...sortSettings(applyChange(this.settings, run ?? {})),
        dryRun: run?.dryRun ?? false,
        recheck: run?.recheck ?? false,
      }),
      emit: options.emit,
      watch: options.watch,
    });
  }

  /** The language the class folders are named in (the setting, else the computer's). */
  get classLanguage(): string {
    return this.settings.classLanguage ?? systemLanguage();
  }

  static async open(library: string, options: LibrarySessionOptions): Promise<LibrarySession> {
    const root = path.resolve(library);
    if (options.kind === 'folder') {
      await assertFolder(root);
      options = { ...options, access: 'read' };
    } else await assertLibrary(root);
    const lock = options.kind === 'folder' ? undefined : await lockFor(root, options);
    let index: LibraryIndex | undefined;
    try {
      index = LibraryIndex.open(root);
      const unsettled: string[] = [];
      if (lock) {
        const { problems } = await recoverMoves(root, index);
        unsettled.push(...problems.map((problem) => problem.message));
        if (options.access === 'read') lock.release();
      }
      const held = options.access === 'read' ? undefined : lock;
      return new LibrarySession(root, index, held, await readSettings(root), unsettled, options);
    } catch (error) {
      index?.close();
      lock?.release();
      throw error;
    }
  }

  /** This session, if it may move files; a read-only one refuses with `library-read-only`. */
  forMoving(): this {
    if (this.lock) return this;
    throw new ClipSortError(
      'library-read-only',
      `${this.root} was opened to look, not to move files; open it again to sort or move.`,
    );
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
      this.lock?.release();
    }
  }
}

/** Refuses a folder that is not there or cannot be read, before its index would be created in it. */
async function assertFolder(root: string): Promise<void> {
  try {
    await readdir(root);
  } catch (error) {
    throw new ClipSortError(
      'folder-unreadable',
      `The folder ${root} cannot be read (${errorMessage(error)}).`,
      {
        cause: error,
      },
    );
  }
}

/** The lock a session needs: always to move files; to only look, the lock if it is free (to settle moves). */
async function lockFor(root: string, options: LibrarySessionOptions): Promise<LibraryLock | undefined> {
  if (options.access !== 'read') {
    return LibraryLock.acquire(root, options.holder, {
      wait: options.wait,
      onWait: (holder) => options.onWait?.(`Waiting for ${describeHolder(holder)} to finish with ${root}…`),
    });
  }
  try {
    return await LibraryLock.acquire(root, `${options.holder} (settling interrupted moves)`);
  } catch {
    return undefined;
  }
}
