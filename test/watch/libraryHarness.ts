import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach } from 'vitest';
import {
  watchLibrary,
  type FileStats,
  type LibraryWatcher,
  type WatchLibraryOptions,
} from '../../electron/engine/watch/libraryWatcher.js';

/** Short timings so that tests take seconds; the polling loop still has several ticks per stable period. */
export const FAST = { stableMs: 300, pollMs: 50, classesDebounceMs: 150 } satisfies WatchLibraryOptions;

export interface Reported extends FileStats {
  path: string;
  at: number;
}

/** What a watcher said, with the time of each call. */
export class Recorder {
  readonly files: Reported[] = [];
  readonly classesChanged: number[] = [];
  readonly notices: string[] = [];
  readonly errors: Error[] = [];
  readonly handlers = {
    onFile: (file: string, stats: FileStats) => this.files.push({ path: file, ...stats, at: Date.now() }),
    onClassesChanged: () => this.classesChanged.push(Date.now()),
    onNotice: (message: string) => this.notices.push(message),
    onError: (error: Error) => this.errors.push(error),
  };

  /** Paths reported, in order. */
  paths(): string[] {
    return this.files.map((file) => file.path);
  }

  /** How often each path was reported. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const file of this.files) counts.set(file.path, (counts.get(file.path) ?? 0) + 1);
    return counts;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, failing with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A library with empty Images/ and Classes/ folders. */
export async function makeLibrary(root: string): Promise<string> {
  await mkdir(path.join(root, 'Images'), { recursive: true });
  await mkdir(path.join(root, 'Classes'), { recursive: true });
  return root;
}

/** Writes `bytes` bytes (not a decodable image: the watcher never reads content) to a library-relative path. */
export async function writeBytes(root: string, relative: string, bytes = 1000, fill = 1): Promise<void> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.alloc(bytes, fill));
}

/** Starts a watcher that is closed after the test, whatever happens. */
export function useWatchers(): (
  root: string,
  recorder: Recorder,
  options?: WatchLibraryOptions,
) => Promise<LibraryWatcher> {
  const open: LibraryWatcher[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((watcher) => watcher.close()));
  });
  return async (root, recorder, options = {}) => {
    const watcher = await watchLibrary(root, recorder.handlers, { ...FAST, ...options });
    open.push(watcher);
    return watcher;
  };
}
