import { appendFile, mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tempDir.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

/** Appends `chunks` chunks of `chunkBytes`, `pauseMs` apart; returns when the last write finished. */
async function writeSlowly(
  file: string,
  chunks: number,
  chunkBytes: number,
  pauseMs: number,
): Promise<number> {
  await writeFile(file, Buffer.alloc(chunkBytes, 7));
  for (let i = 1; i < chunks; i++) {
    await sleep(pauseMs);
    await appendFile(file, Buffer.alloc(chunkBytes, i));
  }
  return Date.now();
}

describe('watchLibrary: Images/', () => {
  it.each([
    ['short pauses (60 ms)', 16, 60],
    ['pauses near stableMs (200 ms of 300)', 6, 200],
  ])(
    'reports a file written slowly with %s once, after its last write, at its final size',
    async (_, chunks, pauseMs) => {
      const root = await makeLibrary(await tempDir());
      const recorder = new Recorder();
      await startWatcher(root, recorder);
      const lastWrite = await writeSlowly(path.join(root, 'Images', 'slow.jpg'), chunks, 4096, pauseMs);
      await waitFor(() => recorder.files.length > 0, 'the slow file');
      await sleep(FAST.stableMs * 3);
      expect(recorder.files).toHaveLength(1);
      const [reported] = recorder.files;
      expect(reported).toMatchObject({ path: 'Images/slow.jpg', size: chunks * 4096 });
      expect(reported!.at - lastWrite).toBeGreaterThanOrEqual(FAST.stableMs - 20);
    },
  );

  it('reports files present at start once, new files once, and a modified file again', async () => {
    const root = await makeLibrary(await tempDir());
    await writeBytes(root, 'Images/before.jpg');
    await writeBytes(root, 'Images/deep/er/nested.PNG');
    await writeBytes(root, 'Images/notes.txt');
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder);
    await waitFor(() => recorder.files.length >= 2, 'the files present at start');

    await writeBytes(root, 'Images/later.webp');
    await writeBytes(root, 'Images/deep/later.gif');
    await waitFor(() => recorder.files.length >= 4, 'the files added later');
    await watcher.rescan();
    await sleep(FAST.stableMs * 2);
    expect(recorder.paths().sort()).toEqual([
      'Images/before.jpg',
      'Images/deep/er/nested.PNG',
      'Images/deep/later.gif',
      'Images/later.webp',
    ]);

    await writeBytes(root, 'Images/before.jpg', 2500, 9);
    await waitFor(() => recorder.files.length >= 5, 'the modified file');
    expect(recorder.files[4]).toMatchObject({ path: 'Images/before.jpg', size: 2500 });
    // Same size, new mtime: still a new state of the file.
    const when = new Date(Date.now() - 3600_000);
    await utimes(path.join(root, 'Images/before.jpg'), when, when);
    await waitFor(() => recorder.files.length >= 6, 'the touched file');
    expect(recorder.files[5]).toMatchObject({ path: 'Images/before.jpg', size: 2500 });
    expect(recorder.files[5]!.mtimeMs).toBeCloseTo(when.getTime(), 0);
    await watcher.rescan();
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toHaveLength(6);
    expect(recorder.errors).toEqual([]);
  });

  it('reports an empty file once it stays empty', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await writeBytes(root, 'Images/empty.jpg', 0);
    await waitFor(() => recorder.files.length > 0, 'the empty file');
    expect(recorder.files[0]).toMatchObject({ path: 'Images/empty.jpg', size: 0 });
  });

  it('never reports hidden files, hidden or state folders, or temporary names', async () => {
    const root = await makeLibrary(await tempDir());
    const names = [
      'Images/.hidden.jpg',
      'Images/.clipsort-1234.tmp',
      'Images/.clipsort/thumb.jpg',
      'Images/.cache/a.jpg',
      'Images/a.jpg.part',
      'Images/b.jpg.crdownload',
      'Images/c.jpg.tmp',
      'Images/d.jpg.download',
      'Images/e.jpg.partial',
      'Images/~$f.jpg',
      'Images/g.jpg.!ut',
      'Images/h.jpg.download/h.jpg', // Safari keeps the partial file in a folder
      'Dataset/cats/sorted.jpg',
      '.clipsort/thumbnails/x.jpg',
      'stray.jpg',
    ];
    for (const name of names.slice(0, 7)) await writeBytes(root, name);
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder);
    for (const name of names.slice(7)) await writeBytes(root, name);
    await writeBytes(root, 'Images/real.jpg');
    await waitFor(() => recorder.files.length > 0, 'the real file');
    await watcher.rescan();
    await sleep(FAST.stableMs * 3);
    expect(recorder.paths()).toEqual(['Images/real.jpg']);
  });

  it('reports a download renamed from .part when it is done, once', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    const part = path.join(root, 'Images', 'photo.jpg.part');
    await writeSlowly(part, 5, 2048, 100);
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toEqual([]);
    await rename(part, path.join(root, 'Images', 'photo.jpg'));
    await waitFor(() => recorder.files.length > 0, 'the finished download');
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toHaveLength(1);
    expect(recorder.files[0]).toMatchObject({ path: 'Images/photo.jpg', size: 5 * 2048 });
  });

  it("waits for Firefox's empty placeholder until its .part is renamed over it", async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    const final = path.join(root, 'Images', 'download.jpg');
    await writeFile(final, '');
    await writeSlowly(`${final}.part`, 4, 1000, 250);
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toEqual([]);
    await rename(`${final}.part`, final);
    await waitFor(() => recorder.files.length > 0, 'the finished download');
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toHaveLength(1);
    expect(recorder.files[0]).toMatchObject({ path: 'Images/download.jpg', size: 4000 });
  });

  it('forgets a file removed before it was complete, and reports a file removed and put back', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder);
    const file = path.join(root, 'Images', 'brief.jpg');
    await writeFile(file, 'abc');
    await sleep(FAST.stableMs / 3);
    await rm(file);
    await writeBytes(root, 'Images/kept.jpg');
    await waitFor(() => recorder.files.length > 0, 'the kept file');
    await watcher.rescan();
    await sleep(FAST.stableMs * 2);
    expect(recorder.paths()).toEqual(['Images/kept.jpg']);

    // Moved out (say, sorted) and moved back unchanged: a new arrival.
    const kept = path.join(root, 'Images', 'kept.jpg');
    await rename(kept, path.join(root, 'kept.jpg'));
    await sleep(FAST.stableMs);
    await rename(path.join(root, 'kept.jpg'), kept);
    await waitFor(() => recorder.files.length > 1, 'the file put back');
    expect(recorder.paths()).toEqual(['Images/kept.jpg', 'Images/kept.jpg']);
  });

  it('reports the files of a folder moved into Images/', async () => {
    const root = await makeLibrary(await tempDir());
    const outside = path.join(root, 'incoming');
    for (let i = 0; i < 20; i++) await writeBytes(root, `incoming/trip/${i}.jpg`);
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await rename(outside, path.join(root, 'Images', 'incoming'));
    await waitFor(() => recorder.files.length >= 20, 'the moved folder', 5000);
    await sleep(FAST.stableMs * 2);
    expect(recorder.files).toHaveLength(20);
  });

  it('reports a missing Images/ folder, creates nothing, and picks it up when it is back', async () => {
    const root = await tempDir();
    const recorder = new Recorder();
    await startWatcher(root, recorder, { missingRetryMs: 200 });
    expect(recorder.notices.join('\n')).toMatch(/Images folder .* is missing/);
    expect(recorder.notices.join('\n')).toMatch(/Classes folder .* is missing/);
    await sleep(300);
    await expect(import('node:fs/promises').then((fs) => fs.readdir(root))).resolves.toEqual([]);

    await mkdir(path.join(root, 'Images'));
    await writeBytes(root, 'Images/back.jpg');
    await waitFor(() => recorder.files.length > 0, 'the file in the folder that came back');
    expect(recorder.notices.join('\n')).toMatch(/Images folder .* is back/);
    await writeBytes(root, 'Images/after.jpg');
    await waitFor(() => recorder.files.length > 1, 'a file added after it came back');
    expect(recorder.paths()).toEqual(['Images/back.jpg', 'Images/after.jpg']);
  });

  it('keeps what it reported while Images/ is gone, and does not report it again when it returns', async () => {
    const root = await makeLibrary(await tempDir());
    await writeBytes(root, 'Images/a.jpg');
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder, { missingRetryMs: 200 });
    await waitFor(() => recorder.files.length > 0, 'the first report');
    // "Unmount": the folder goes away for a while and comes back with the same files.
    await rename(path.join(root, 'Images'), path.join(root, 'elsewhere'));
    await watcher.rescan();
    expect(recorder.notices.join('\n')).toMatch(/Images folder .* is missing/);
    await sleep(FAST.stableMs * 2); // long enough for chokidar's unlink events of the files
    await rename(path.join(root, 'elsewhere'), path.join(root, 'Images'));
    await waitFor(() => recorder.notices.some((n) => /is back/.test(n)), 'the folder to be back');
    await sleep(FAST.stableMs * 2);
    expect(recorder.paths()).toEqual(['Images/a.jpg']);
  });
});
