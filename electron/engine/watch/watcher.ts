/**
 * The one module that imports chokidar: watches folder trees and passes on what it sees as plain events. The
 * events are hints (chokidar loses and repeats some under load); callers reconcile them with scans.
 */
import { watch, type FSWatcher } from 'chokidar';

/** What happened at a path. */
export type TreeEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WatchTreeOptions {
  /** Absolute paths of the folders to watch (recursively). */
  paths: string[];
  /** True for a path (absolute) that must not be watched or reported; `kind` is given when known. */
  ignored(path: string, kind?: 'file' | 'directory'): boolean;
  /** Stat-polling instead of the OS's notifications: for network drives and when the OS's watch limit is hit. */
  usePolling: boolean;
  /** How often polling looks at each file and folder. */
  pollingIntervalMs: number;
}

export interface TreeListener {
  onEvent(event: TreeEvent, path: string): void;
  /** A watching failure (EMFILE/ENOSPC among them: see `isWatchLimitError`). */
  onError(error: Error): void;
}

/** Stops watching. */
export type CloseWatch = () => Promise<void>;

/** Starts watching; resolves once the initial crawl is done and events are live. */
export type WatchTree = (options: WatchTreeOptions, listener: TreeListener) => Promise<CloseWatch>;

const EVENTS: readonly TreeEvent[] = ['add', 'change', 'unlink', 'addDir', 'unlinkDir'];

/** The longest path, in bytes, the system's file calls take (PATH_MAX; Node on Windows lifts MAX_PATH itself). */
const PATH_MAX = process.platform === 'win32' ? Infinity : process.platform === 'linux' ? 4096 : 1024;
/** The longest name, in bytes. */
const NAME_MAX = 255;

/**
 * True for a path so deep that an entry inside it may be longer than the system allows. chokidar stops for good
 * at such an entry (its directory reader gives up on ENAMETOOLONG, and "ready" never comes), so folders this deep
 * are left to the caller's scans.
 */
const isTooDeep = (path: string) => Buffer.byteLength(path) + 1 + NAME_MAX >= PATH_MAX;

/**
 * Watches with chokidar. No initial events: the caller scans. Symbolic links are reported, never followed; folders
 * near the system's path length limit are not watched.
 */
export const watchTree: WatchTree = async (options, listener) => {
  const watcher: FSWatcher = watch(options.paths, {
    persistent: true,
    ignoreInitial: true,
    followSymlinks: false,
    usePolling: options.usePolling,
    interval: options.pollingIntervalMs,
    binaryInterval: options.pollingIntervalMs,
    awaitWriteFinish: false,
    ignored: (path, stats) =>
      isTooDeep(path) ||
      options.ignored(path, stats ? (stats.isDirectory() ? 'directory' : 'file') : undefined),
  });
  watcher.on('error', (error) => listener.onError(error instanceof Error ? error : new Error(String(error))));
  for (const event of EVENTS) watcher.on(event, (path: string) => listener.onEvent(event, path));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return () => watcher.close();
};

/** True for the errors that mean the OS cannot watch more files (inotify's limits, too many open files). */
export function isWatchLimitError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EMFILE' || code === 'ENOSPC' || code === 'ENFILE';
}
