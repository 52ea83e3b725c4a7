import { describe, expect, it } from 'vitest';
import { watchLibrary } from '../../electron/engine/watch/libraryWatcher.js';
import { watchTree, type WatchTree, type WatchTreeOptions } from '../../electron/engine/watch/watcher.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

/** The error inotify gives when fs.inotify.max_user_watches is used up. */
function watchLimitError(code: 'ENOSPC' | 'EMFILE'): Error {
  return Object.assign(new Error(`${code}: System limit for number of file watchers reached, watch '/x'`), {
    code,
  });
}

/** Real chokidar, except that watching with OS events hits the watch limit (at start, or once running). */
function limitedWatchTree(when: 'at start' | 'once running', code: 'ENOSPC' | 'EMFILE') {
  const calls: WatchTreeOptions[] = [];
  const tree: WatchTree = async (options, listener) => {
    calls.push(options);
    if (options.usePolling) return watchTree(options, listener);
    if (when === 'at start') throw watchLimitError(code);
    const close = await watchTree(options, listener);
    setTimeout(() => listener.onError(watchLimitError(code)), 50);
    return close;
  };
  return { tree, calls };
}

describe('watchLibrary: polling', () => {
  it.each([
    ['at start', 'ENOSPC'],
    ['once running', 'EMFILE'],
  ] as const)(
    'falls back to polling with a notice when the watch limit is hit %s (%s)',
    async (when, code) => {
      const root = await makeLibrary(await tempDir());
      await writeBytes(root, 'Images/before.jpg');
      const { tree, calls } = limitedWatchTree(when, code);
      const recorder = new Recorder();
      const watcher = await startWatcher(root, recorder, { watchTree: tree, pollingIntervalMs: 200 });
      await waitFor(() => watcher.mode === 'polling' && calls.length === 2, 'the switch to polling');
      expect(calls.map((call) => call.usePolling)).toEqual([false, true]);
      expect(recorder.notices).toHaveLength(1);
      expect(recorder.notices[0]).toMatch(new RegExp(`cannot watch more files \\(${code}\\).*polling`));
      expect(recorder.errors).toEqual([]);

      await waitFor(() => recorder.files.length > 0, 'the file present at start');
      await sleep(300); // the polling watcher is ready; the next rescan is a minute away
      await writeBytes(root, 'Images/sub/after.jpg');
      await writeBytes(root, 'Classes/red/r.jpg');
      await waitFor(() => recorder.files.length > 1, 'a file found by polling');
      await waitFor(() => recorder.classesChanged.length > 0, 'a class change found by polling');
      expect(recorder.paths()).toEqual(['Images/before.jpg', 'Images/sub/after.jpg']);
    },
  );

  it('polls when asked to (network drives), saying nothing about it', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder, { usePolling: true, pollingIntervalMs: 200 });
    expect(watcher.mode).toBe('polling');
    await writeBytes(root, 'Images/a.jpg');
    await waitFor(() => recorder.files.length > 0, 'the file');
    await sleep(FAST.stableMs * 2);
    expect(recorder.paths()).toEqual(['Images/a.jpg']);
    expect(recorder.notices).toEqual([]);
  });

  it('passes other watching errors on and keeps going', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    const tree: WatchTree = async (options, listener) => {
      const close = await watchTree(options, listener);
      listener.onError(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
      return close;
    };
    const watcher = await startWatcher(root, recorder, { watchTree: tree });
    expect(watcher.mode).toBe('events');
    expect(recorder.errors.map((error) => error.message)).toEqual(['EACCES: permission denied']);
    await writeBytes(root, 'Images/a.jpg');
    await waitFor(() => recorder.files.length > 0, 'the file');
  });
});

/** How many handles of each kind that keeps a process alive (timers, fs.watch and fs.watchFile watchers) are open. */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = { Timeout: 0, FSEventWrap: 0, StatWatcher: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]!++;
  return counts;
}

/** Expects no more handles of any kind than `before` had, once closed handles have been released. */
async function expectNoneLeftSince(before: Record<string, number>): Promise<void> {
  await sleep(20); // a closed handle leaves the list on the next turn of the event loop
  const after = liveHandles();
  for (const kind of Object.keys(before)) expect(after[kind], kind).toBeLessThanOrEqual(before[kind]!);
}

describe('LibraryWatcher.close', () => {
  it.each([
    ['OS events', false, 'FSEventWrap'],
    ['polling', true, 'StatWatcher'],
  ] as const)(
    'leaves no timers or watchers behind (%s), even with files still settling',
    async (_, usePolling, handle) => {
      const root = await makeLibrary(await tempDir());
      for (let i = 0; i < 50; i++) await writeBytes(root, `Images/d${i % 3}/${i}.jpg`);
      await writeBytes(root, 'Classes/red/r.jpg');
      const before = liveHandles();
      const recorder = new Recorder();
      const watcher = await watchLibrary(root, recorder.handlers, { ...FAST, usePolling });
      expect(liveHandles()[handle]).toBeGreaterThan(0);
      await writeBytes(root, 'Images/late.jpg');
      await writeBytes(root, 'Classes/red/r2.jpg');
      await sleep(FAST.pollMs * 2);
      await watcher.close();
      const reportedAtClose = recorder.files.length;
      await expectNoneLeftSince(before);
      await sleep(FAST.stableMs * 2);
      expect(recorder.files).toHaveLength(reportedAtClose);
      expect(recorder.classesChanged).toEqual([]);
      await watcher.close(); // twice is harmless
    },
  );

  it('closes cleanly while a rescan is under way', async () => {
    const root = await makeLibrary(await tempDir());
    for (let i = 0; i < 200; i++) await writeBytes(root, `Images/${i}.jpg`);
    const before = liveHandles();
    const recorder = new Recorder();
    const watcher = await watchLibrary(root, recorder.handlers, FAST);
    await Promise.all([watcher.rescan(), watcher.close(), watcher.rescan()]);
    await expectNoneLeftSince(before);
  });
});
