/**
 * Watches a library: reports each complete image file in `Images/` once per state, and says when `Classes/`
 * changed. Events (chokidar, through `watcher.ts`) are hints; a scan at start and every `rescanIntervalMs` is the
 * truth. The watcher never creates, changes or deletes anything: a missing folder is reported and waited for.
 */
import path from 'node:path';
import { ClipSortError, isMissingError } from '../errors.js';
import { PROMPT_FILE } from '../library/classFolders.js';
import { isGroupedName } from '../library/fileGroups.js';
import { isImageName, toLibraryPath, walkImageFolder } from '../library/imageFiles.js';
import { libraryFolders, resolveLibraryPath } from '../library/libraryPaths.js';
import { enclosingLibrary } from '../library/otherLibraries.js';
import { otherLibrary, unreadableFolder, type SkippedEntry } from '../library/skippedEntries.js';
import { ClassesChanges } from './classesChanges.js';
import { isIgnoredName, isIgnoredPath } from '../library/ignoredNames.js';
import { StableFiles, type FileStats } from './stableFiles.js';
import { isWatchLimitError, watchTree, type CloseWatch, type TreeEvent, type WatchTree } from './watcher.js';

export type { FileStats } from './stableFiles.js';

export interface LibraryWatchHandlers {
  /** A complete image file in `Images/` (library-relative, forward slashes), once per size and mtime. */
  onFile(path: string, stats: FileStats): void;
  /** Classes, reference images or prompt files changed, and have settled. */
  onClassesChanged(): void;
  /** Something a person should see: polling instead of events, a folder missing or back. */
  onNotice?(message: string): void;
  /** A failure the watcher works around (an unreadable file, an entry of `Images/` left out, a watching error). */
  onError?(error: Error): void;
}

export interface WatchLibraryOptions {
  /** How long a file's size and mtime must stay the same before it is reported. */
  stableMs?: number;
  /** How often candidate files are looked at while some are waiting. */
  pollMs?: number;
  /** How often `Images/` and `Classes/` are rescanned for what events missed. */
  rescanIntervalMs?: number;
  /** How often to look again for a missing `Images/` or `Classes/` folder. */
  missingRetryMs?: number;
  /** Quiet time after the last event under `Classes/` before looking at it. */
  classesDebounceMs?: number;
  /** Poll instead of using the OS's notifications (network drives). Falls back to it on EMFILE/ENOSPC anyway. */
  usePolling?: boolean;
  /** How often polling looks at each file and folder. */
  pollingIntervalMs?: number;
  /** How many lstat calls run at once. */
  statConcurrency?: number;
  /** The event source (chokidar by default); `null` runs on scans alone. */
  watchTree?: WatchTree | null;
}

export const WATCH_DEFAULTS = {
  stableMs: 400,
  pollMs: 100,
  rescanIntervalMs: 60_000,
  missingRetryMs: 5_000,
  classesDebounceMs: 300,
  usePolling: false,
  pollingIntervalMs: 1_000,
  statConcurrency: 8,
} as const;

/** Where events come from: the OS's notifications, polling, or scans alone. */
export type WatchMode = 'events' | 'polling' | 'scans';

export interface LibraryWatcher {
  readonly mode: WatchMode;
  /** Scans now; resolves when what the scan found is being looked at. */
  rescan(): Promise<void>;
  /** Stops everything; nothing is reported after it resolves. */
  close(): Promise<void>;
}

/** Starts watching the library at `root`; resolves once events are live and the first scan is done. */
export async function watchLibrary(
  root: string,
  handlers: LibraryWatchHandlers,
  options: WatchLibraryOptions = {},
): Promise<LibraryWatcher> {
  const watch = new LibraryWatch(root, handlers, options);
  await watch.start();
  return watch;
}

class LibraryWatch implements LibraryWatcher {
  readonly #root: string;
  readonly #folders: ReturnType<typeof libraryFolders>;
  readonly #handlers: LibraryWatchHandlers;
  readonly #options: Required<Omit<WatchLibraryOptions, 'watchTree'>>;
  readonly #watchTree: WatchTree | null;
  readonly #stable: StableFiles;
  readonly #classes: ClassesChanges;
  readonly #abort = new AbortController();
  #polling: boolean;
  #closeEvents: CloseWatch | undefined;
  #events: Promise<void> = Promise.resolve();
  #scanning: Promise<void> | undefined;
  #scanQueued: Promise<void> | undefined;
  #rescanTimer: NodeJS.Timeout | undefined;
  #imagesMissing = false;
  /** Entries of `Images/` left out and already reported (see `skipKey`): each is said once while it stays so. */
  #skipped = new Set<string>();
  /** Folders under `Images/` that are other libraries (library-relative): events under them are dropped. */
  #libraries = new Set<string>();
  #closed: Promise<void> | undefined;

  constructor(root: string, handlers: LibraryWatchHandlers, options: WatchLibraryOptions) {
    const { watchTree: tree = watchTree, ...rest } = options;
    this.#root = root;
    this.#folders = libraryFolders(root);
    this.#handlers = handlers;
    this.#options = { ...WATCH_DEFAULTS, ...stripUndefined(rest) };
    this.#watchTree = tree;
    this.#polling = this.#options.usePolling;
    this.#stable = new StableFiles({
      stableMs: this.#options.stableMs,
      pollMs: this.#options.pollMs,
      statConcurrency: this.#options.statConcurrency,
      resolve: (key) => path.join(root, ...key.split('/')),
      anchor: this.#folders.images,
      excluded: (key) => this.#inOtherLibrary(path.posix.dirname(key)),
      onStable: (key, stats) => {
        if (!this.#isClosed) handlers.onFile(key, stats);
      },
      onError: (error) => this.#error(error),
    });
    this.#classes = new ClassesChanges({
      dir: this.#folders.classes,
      debounceMs: this.#options.classesDebounceMs,
      stableMs: this.#options.stableMs,
      onChanged: () => {
        if (!this.#isClosed) handlers.onClassesChanged();
      },
      onNotice: (message) => this.#notice(message),
      onError: (error) => this.#error(error),
    });
  }

  get mode(): WatchMode {
    if (!this.#watchTree) return 'scans';
    return this.#polling ? 'polling' : 'events';
  }

  async start(): Promise<void> {
    await this.#classes.start();
    await this.#restartEvents();
    await this.rescan();
  }

  rescan(): Promise<void> {
    if (this.#scanQueued) return this.#scanQueued;
    if (this.#scanning) {
      this.#scanQueued = this.#scanning.then(() => {
        this.#scanQueued = undefined;
        return this.#startScan();
      });
      return this.#scanQueued;
    }
    return this.#startScan();
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#abort.abort();
      clearTimeout(this.#rescanTimer);
      this.#rescanTimer = undefined;
      await this.#scanQueued;
      await this.#scanning;
      await this.#restartEvents();
      await Promise.all([this.#stable.close(), this.#classes.close()]);
    })();
    return this.#closed;
  }

  get #isClosed(): boolean {
    return this.#abort.signal.aborted;
  }

  #startScan(): Promise<void> {
    this.#scanning = this.#scan().finally(() => {
      this.#scanning = undefined;
    });
    return this.#scanning;
  }

  async #scan(): Promise<void> {
    if (this.#isClosed) return;
    clearTimeout(this.#rescanTimer);
    const imagesPresent = await this.#scanImages();
    await this.#classes.check();
    if (this.#isClosed) return;
    const { rescanIntervalMs, missingRetryMs } = this.#options;
    const delay = imagesPresent ? rescanIntervalMs : Math.min(rescanIntervalMs, missingRetryMs);
    this.#rescanTimer = setTimeout(() => void this.rescan(), delay);
  }

  /** Scans `Images/`: offers what is there, rechecks what was reported and is not. False when it is missing. */
  async #scanImages(): Promise<boolean> {
    const dir = this.#folders.images;
    let scan;
    try {
      scan = await walkImageFolder(this.#root, dir, this.#abort.signal);
    } catch (error) {
      if (isMissingError(error)) {
        if (!this.#imagesMissing) {
          this.#notice(
            `The Images folder ${dir} is missing (a disk not mounted?). Nothing is changed; ` +
              'watching for it to come back.',
          );
        }
        this.#imagesMissing = true;
      } else {
        this.#noteSkipped(unreadableFolder(toLibraryPath(this.#root, dir), error));
      }
      return false;
    }
    if (this.#isClosed) return true;
    if (this.#imagesMissing) {
      this.#imagesMissing = false;
      this.#notice(`The Images folder ${dir} is back.`);
      await this.#restartEvents(); // watches on a remounted disk are gone
      void this.rescan(); // again: files that came while the watch restarted had no events
    }
    for (const entry of scan.skipped) this.#noteSkipped(entry);
    // An entry no longer left out is forgotten, and reported again if it is left out again.
    this.#skipped = new Set(scan.skipped.map(skipKey));
    this.#libraries = new Set(scan.skipped.filter(isOtherLibrary).map((entry) => entry.path));
    const found = new Set(scan.files);
    for (const file of scan.files) this.#stable.offerIfNew(file);
    // The files of a folder left out are unknown, not gone.
    const unknown = scan.skipped.map((entry) => `${entry.path}/`);
    this.#stable.recheckReported((key) => found.has(key) || unknown.some((folder) => key.startsWith(folder)));
    return true;
  }

  /** Scans a folder that appeared under `Images/` (moved in whole, its files may have no events of their own). */
  async #scanNewFolder(dir: string): Promise<void> {
    try {
      if (await this.#inOtherLibrary(toLibraryPath(this.#root, dir))) return;
      const scan = await walkImageFolder(this.#root, dir, this.#abort.signal);
      for (const entry of scan.skipped) this.#noteSkipped(entry);
      for (const file of scan.files) this.#stable.offerIfNew(file);
    } catch {
      // gone again, or unreadable: the next rescan says so
    }
  }

  /** Reports an entry of `Images/` left out, unless it already was; remembers the libraries among them. */
  #noteSkipped(entry: SkippedEntry): void {
    if (isOtherLibrary(entry)) this.#libraries.add(entry.path);
    const key = skipKey(entry);
    if (this.#skipped.has(key)) return;
    this.#skipped.add(key);
    this.#error(new ClipSortError(entry.code, entry.reason));
  }

  /** True for a library-relative path in a folder under `Images/` known to be another library. */
  #inKnownLibrary(relative: string): boolean {
    for (const library of this.#libraries) {
      if (relative === library || relative.startsWith(`${library}/`)) return true;
    }
    return false;
  }

  /**
   * True when `folder` (library-relative) is or lies in another library under `Images/`, found by looking for
   * its `.clipsort`: events can offer its files before a scan has seen that it is one.
   */
  async #inOtherLibrary(folder: string): Promise<boolean> {
    if (this.#inKnownLibrary(folder)) return true;
    const found = await enclosingLibrary(this.#folders.images, resolveLibraryPath(this.#root, folder));
    if (found) this.#noteSkipped(otherLibrary(toLibraryPath(this.#root, found)));
    return found !== undefined;
  }

  /** (Re)starts the event source in the current mode; with the library closed, only stops it. */
  #restartEvents(): Promise<void> {
    this.#events = this.#events.then(async () => {
      const close = this.#closeEvents;
      this.#closeEvents = undefined;
      await close?.().catch((error: unknown) => this.#error(toError(error)));
      if (this.#isClosed || !this.#watchTree) return;
      const polling = this.#polling;
      try {
        this.#closeEvents = await this.#watchTree(
          {
            paths: [this.#root],
            ignored: (file, kind) => this.#ignored(file, kind),
            usePolling: polling,
            pollingIntervalMs: this.#options.pollingIntervalMs,
          },
          {
            onEvent: (event, file) => this.#onEvent(event, file),
            onError: (error) => this.#onWatchError(error, polling),
          },
        );
      } catch (error) {
        this.#onWatchError(toError(error), polling);
        return;
      }
      if (this.#isClosed) {
        await this.#closeEvents().catch(() => undefined);
        this.#closeEvents = undefined;
      }
    });
    return this.#events;
  }

  #onWatchError(error: Error, polling: boolean): void {
    if (this.#isClosed) return;
    if (!isWatchLimitError(error)) {
      this.#error(error);
      return;
    }
    if (polling) {
      this.#error(error);
      return;
    }
    if (this.#polling) return; // the switch is already under way
    this.#polling = true;
    const code = (error as NodeJS.ErrnoException).code ?? 'a watch limit';
    this.#notice(
      `The system cannot watch more files (${code}), so ${this.#root} is now watched by polling, which is ` +
        'slower and uses more CPU. On Linux, raising fs.inotify.max_user_watches lifts the limit.',
    );
    void this.#restartEvents().then(() => this.rescan());
  }

  /** True for paths chokidar should not watch: outside Images/ and Classes/, ignored names, other files. */
  #ignored(file: string, kind?: 'file' | 'directory'): boolean {
    const relative = toLibraryPath(this.#root, file);
    if (relative === '' || relative.startsWith('..')) return false;
    const segments = relative.split('/');
    const top = segments[0];
    const inImages = top === path.basename(this.#folders.images);
    if (!inImages && top !== path.basename(this.#folders.classes)) return true;
    if (segments.some(isIgnoredName)) return true;
    if (kind !== 'file' || segments.length === 1) return false;
    const name = segments[segments.length - 1]!;
    // In the inbox, a photo's RAW, video and sidecars are watched too: the photo waits for them (stableFiles.ts).
    return inImages ? !isGroupedName(name) : !isImageName(name) && name !== PROMPT_FILE;
  }

  #onEvent(event: TreeEvent, file: string): void {
    if (this.#isClosed) return;
    const relative = toLibraryPath(this.#root, file);
    if (relative === '' || relative.startsWith('..') || isIgnoredPath(relative)) return;
    const segments = relative.split('/');
    if (segments.length === 1) {
      void this.rescan(); // Images/ or Classes/ itself appeared or went
    } else if (segments[0] === path.basename(this.#folders.classes)) {
      this.#classes.hint();
    } else if (segments[0] !== path.basename(this.#folders.images)) {
      return;
    } else if (this.#inKnownLibrary(relative)) {
      return; // another library's files are its own
    } else if (event === 'addDir') {
      void this.#scanNewFolder(file);
    } else if (event === 'unlinkDir') {
      this.#stable.recheckReported((key) => !key.startsWith(`${relative}/`));
    } else if (isGroupedName(segments[segments.length - 1]!)) {
      this.#stable.offer(relative);
    }
  }

  #notice(message: string): void {
    if (this.#isClosed) return;
    if (this.#handlers.onNotice) this.#handlers.onNotice(message);
    else process.emitWarning(message);
  }

  #error(error: Error): void {
    if (this.#isClosed) return;
    if (this.#handlers.onError) this.#handlers.onError(error);
    else process.emitWarning(error.message);
  }
}

/** Identifies a skipped entry across scans. */
const skipKey = (entry: SkippedEntry) => `${entry.code}\0${entry.path}`;

const isOtherLibrary = (entry: SkippedEntry) => entry.code === 'nested-library';

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
