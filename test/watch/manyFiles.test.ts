import { describe, expect, it } from 'vitest';
import type { WatchTree } from '../../electron/engine/watch/watcher.js';
import { watchTree } from '../../electron/engine/watch/watcher.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

const COUNT = 2000;

/** Writes COUNT small files under Images/ (in a few subfolders), 50 at a time; returns when the last is written. */
async function dropFiles(root: string): Promise<number> {
  const names = Array.from({ length: COUNT }, (_, i) => `Images/batch${i % 4}/photo-${i}.jpg`);
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(names.slice(i, i + 50).map((name, j) => writeBytes(root, name, 200 + j, i % 255)));
  }
  return Date.now();
}

/** A chokidar that loses every event about two files in three, the way a busy system loses them. */
const lossyWatchTree: WatchTree = (options, listener) =>
  watchTree(options, {
    ...listener,
    onEvent: (event, file) => {
      const number = /photo-(\d+)\.jpg$/.exec(file)?.[1];
      if (number === undefined || Number(number) % 3 === 0) listener.onEvent(event, file);
    },
  });

describe('watchLibrary with 2,000 files dropped at once', () => {
  it.each([
    ['OS events', 'events', {}],
    [
      'events mostly lost, rescans every 1.5 s',
      'events',
      { watchTree: lossyWatchTree, rescanIntervalMs: 1500 },
    ],
    ['no events at all, rescans every 1 s', 'scans', { watchTree: null, rescanIntervalMs: 1000 }],
    ['polling', 'polling', { usePolling: true, pollingIntervalMs: 500 }],
  ] as const)('reports each file exactly once with %s', async (_, mode, options) => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder, options);
    expect(watcher.mode).toBe(mode);
    const started = Date.now();
    const lastWrite = await dropFiles(root);
    await waitFor(() => recorder.files.length >= COUNT, `${COUNT} files`, 30_000);
    const done = Date.now();
    console.info(
      `${COUNT} files (${watcher.mode}): written in ${lastWrite - started} ms, ` +
        `all reported ${done - lastWrite} ms after the last write`,
    );
    await watcher.rescan();
    await sleep(FAST.stableMs * 3);
    const counts = recorder.counts();
    expect(counts.size).toBe(COUNT);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(recorder.errors).toEqual([]);
  });
});
