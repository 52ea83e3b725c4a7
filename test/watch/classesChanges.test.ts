import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeColourImage, COLOURS } from '../helpers/images.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

/** Time for a change to settle and be said: debounce, two looks stableMs apart, and slack. */
const SETTLE_MS = FAST.classesDebounceMs + FAST.stableMs * 2 + 500;

/** A library with two classes of real reference images. */
async function classLibrary(root: string): Promise<string> {
  await makeLibrary(root);
  await writeColourImage(path.join(root, 'Classes/red/r1.png'), COLOURS.red![0]!);
  await writeColourImage(path.join(root, 'Classes/blue/b1.png'), COLOURS.blue![0]!);
  return root;
}

describe('watchLibrary: Classes/', () => {
  it('says nothing at start, and nothing for files Images/ gets', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await writeBytes(root, 'Images/a.jpg');
    await waitFor(() => recorder.files.length > 0, 'the image');
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toEqual([]);
  });

  it('turns a burst of changes into one call, made after the last change settled', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    for (let i = 0; i < 10; i++) {
      await writeColourImage(path.join(root, `Classes/red/r${i + 2}.png`), COLOURS.red![1]!, { seed: i });
      await sleep(30);
    }
    await writeColourImage(path.join(root, 'Classes/green/g1.jpg'), COLOURS.green![0]!);
    await writeFile(path.join(root, 'Classes/green/prompt.txt'), 'a photo of something green\n');
    const lastChange = Date.now();
    await waitFor(() => recorder.classesChanged.length > 0, 'the classes change');
    expect(recorder.classesChanged[0]! - lastChange).toBeGreaterThanOrEqual(FAST.classesDebounceMs);
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toHaveLength(1);
  });

  it.each([
    ['a reference image removed', (root: string) => rm(path.join(root, 'Classes/red/r1.png'))],
    [
      'a reference image renamed',
      (root: string) => rename(path.join(root, 'Classes/red/r1.png'), path.join(root, 'Classes/red/r9.png')),
    ],
    [
      'a reference image rewritten',
      (root: string) =>
        writeColourImage(path.join(root, 'Classes/red/r1.png'), COLOURS.red![2]!, { seed: 5 }),
    ],
    ['a class folder added', (root: string) => writeBytes(root, 'Classes/green/g.jpg')],
    [
      'an empty class folder added',
      (root: string) => import('node:fs/promises').then((fs) => fs.mkdir(path.join(root, 'Classes/empty'))),
    ],
    [
      'a class folder renamed',
      (root: string) => rename(path.join(root, 'Classes/red'), path.join(root, 'Classes/crimson')),
    ],
    ['a class folder removed', (root: string) => rm(path.join(root, 'Classes/blue'), { recursive: true })],
    [
      'prompt.txt written',
      (root: string) => writeFile(path.join(root, 'Classes/red/prompt.txt'), 'a red thing\n'),
    ],
  ])('fires once for %s', async (_, change) => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await change(root);
    await waitFor(() => recorder.classesChanged.length > 0, 'the classes change');
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toHaveLength(1);
    expect(recorder.files).toEqual([]);
  });

  it('ignores hidden and temporary files and other names in class folders', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await writeBytes(root, 'Classes/red/.DS_Store');
    await writeBytes(root, 'Classes/red/r2.jpg.part');
    await writeBytes(root, 'Classes/red/notes.txt');
    await writeBytes(root, 'Classes/.trash/x.jpg');
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toEqual([]);
  });

  it('waits for a reference image that is still being written', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    const file = path.join(root, 'Classes/red/big.jpg');
    await writeFile(file, Buffer.alloc(1000));
    for (let i = 0; i < 6; i++) {
      await sleep(FAST.classesDebounceMs + 50); // longer than the debounce, shorter than stableMs + debounce
      await writeFile(file, Buffer.alloc(1000 * (i + 2)));
    }
    const lastWrite = Date.now();
    await waitFor(() => recorder.classesChanged.length > 0, 'the classes change');
    expect(recorder.classesChanged[0]! - lastWrite).toBeGreaterThanOrEqual(FAST.stableMs);
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toHaveLength(1);
  });

  it('finds a change that had no event at the next rescan', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder, { watchTree: null });
    await writeBytes(root, 'Classes/red/r2.jpg');
    await watcher.rescan();
    await waitFor(() => recorder.classesChanged.length > 0, 'the classes change');
    expect(recorder.classesChanged).toHaveLength(1);
  });

  it('does not call a missing Classes/ folder a change, and fires only if it comes back different', async () => {
    const root = await classLibrary(await tempDir());
    const recorder = new Recorder();
    const watcher = await startWatcher(root, recorder, { missingRetryMs: 200 });
    await rename(path.join(root, 'Classes'), path.join(root, 'away'));
    await watcher.rescan();
    await sleep(SETTLE_MS);
    expect(recorder.notices.join('\n')).toMatch(/Classes folder .* is missing/);
    expect(recorder.classesChanged).toEqual([]);
    await rename(path.join(root, 'away'), path.join(root, 'Classes'));
    await waitFor(() => recorder.notices.some((n) => /Classes folder .* is back/.test(n)), 'the folder back');
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toEqual([]);

    await rename(path.join(root, 'Classes'), path.join(root, 'away'));
    await watcher.rescan();
    await rm(path.join(root, 'away/blue'), { recursive: true });
    await rename(path.join(root, 'away'), path.join(root, 'Classes'));
    await waitFor(() => recorder.classesChanged.length > 0, 'the classes change');
    await sleep(SETTLE_MS);
    expect(recorder.classesChanged).toHaveLength(1);
  });
});
