import { EventEmitter } from 'node:events';
import { errorMessage } from '../errors.js';
import { watchLibrary, type LibraryWatcher, type WatchLibraryOptions } from '../watch/libraryWatcher.js';
import type { Sorter, SortOutcome } from './sorter.js';

/**
 * What the watch service tells whoever listens: each image's outcome, and what a person should know that is not
 * about one image (polling instead of events, a class reload failing).
 */
export interface WatchEvents {
  outcome: [outcome: SortOutcome];
  notice: [message: string];
}

/**
 * Keeps sorting: every image that becomes complete in `Images/` goes through the sorter, and the classes are
 * re-read when `Classes/` changes. One image's failure is reported and the watch goes on. Listen before `start`:
 * starting can already tell something.
 */
export class WatchService extends EventEmitter<WatchEvents> {
  private readonly inFlight = new Set<Promise<void>>();
  // A file that changes while it is sorted is reported again; the run under way settles it, and says so once.
  private readonly sorting = new Set<string>();
  private watcher?: LibraryWatcher;

  constructor(
    private readonly root: string,
    private readonly sorter: Sorter,
  ) {
    super();
  }

  /** Reads the classes and starts watching; resolves once watching. */
  async start(options: WatchLibraryOptions = {}): Promise<void> {
    await this.sorter.classes();
    this.watcher = await watchLibrary(
      this.root,
      {
        onFile: (file) => this.track(this.sortOnce(file)),
        onClassesChanged: () => this.track(this.sorter.reloadClasses()),
        onNotice: (message) => this.emit('notice', message),
        onError: (error) => this.emit('notice', error.message),
      },
      options,
    );
  }

  /** Stops watching and waits for every image in flight: each move started is completed and journalled. */
  async close(): Promise<void> {
    await this.watcher?.close();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      (error: unknown) => void this.emit('notice', errorMessage(error)),
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  private async sortOnce(file: string): Promise<void> {
    if (this.sorting.has(file)) return;
    this.sorting.add(file);
    try {
      this.emit('outcome', await this.sorter.sortFile(file));
    } finally {
      this.sorting.delete(file);
    }
  }
}
