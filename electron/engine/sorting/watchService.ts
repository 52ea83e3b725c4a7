import { errorMessage } from '../errors.js';
import { watchLibrary, type WatchLibraryOptions } from '../watch/libraryWatcher.js';
import type { Sorter, SortOutcome } from './sorter.js';

export interface WatchHandlers {
  onOutcome: (outcome: SortOutcome) => void;
  /** Something a person should know that is not about one image (polling fallback, a class reload failing). */
  onNotice: (message: string) => void;
}

export interface WatchService {
  /** Stops watching and waits for every image in flight: each move started is completed and journalled. */
  close(): Promise<void>;
}

/**
 * Keeps sorting: every image that becomes complete in `Images/` goes through the sorter, and the classes are
 * re-read when `Classes/` changes. One image's failure is reported and the watch goes on.
 */
export async function startWatching(
  root: string,
  sorter: Sorter,
  handlers: WatchHandlers,
  options: WatchLibraryOptions = {},
): Promise<WatchService> {
  await sorter.classes();
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.then(
      () => undefined,
      (error: unknown) => handlers.onNotice(errorMessage(error)),
    );
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };
  // A file that changes while it is sorted is reported again; the run under way settles it, and says so once.
  const sorting = new Set<string>();
  const sortOnce = async (file: string) => {
    if (sorting.has(file)) return;
    sorting.add(file);
    try {
      handlers.onOutcome(await sorter.sortFile(file));
    } finally {
      sorting.delete(file);
    }
  };
  const watcher = await watchLibrary(
    root,
    {
      onFile: (file) => track(sortOnce(file)),
      onClassesChanged: () => track(sorter.reloadClasses()),
      onNotice: handlers.onNotice,
      onError: (error) => handlers.onNotice(error.message),
    },
    options,
  );
  return {
    async close() {
      await watcher.close();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
