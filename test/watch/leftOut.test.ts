/**
 * The watcher never offers what the sorter cannot handle or must not touch: names that are not valid UTF-8,
 * another library inside Images/ (present at start, moved in later, or written to later), a folder deeper than
 * PATH_MAX. Each is said once, however often Images/ is rescanned.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClipSortError } from '../../electron/engine/errors.js';
import { longNames, readableDepth, removeDeep, writeDeep, writeRaw } from '../helpers/awkwardEntries.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

/** Writes a library of its own (state folder, inbox, a class, a sorted image) at a library-relative folder. */
async function writeOtherLibrary(root: string, folder: string): Promise<void> {
  await mkdir(path.join(root, folder, '.clipsort'), { recursive: true });
  await writeFile(path.join(root, folder, '.clipsort/library.db'), 'its index');
  await writeBytes(root, `${folder}/Images/a.jpg`);
  await writeBytes(root, `${folder}/Classes/red/ref.jpg`);
  await writeBytes(root, `${folder}/Dataset/red/b.jpg`);
}

describe.runIf(process.platform === 'linux')('watchLibrary: entries left out of Images/', () => {
  it('reports each once, offers none of their files, and still offers everything else', async () => {
    const root = await makeLibrary(await tempDir());
    const images = path.join(root, 'Images');
    await writeRaw(images, Buffer.from('caf\xE9.jpg', 'latin1'), Buffer.alloc(100, 1));
    await writeRaw(images, Buffer.from('caf\xE8.jpg', 'latin1'), Buffer.alloc(100, 2));
    await writeOtherLibrary(root, 'Images/other');
    const deep = path.join(images, 'deep');
    const names = longNames(20, 250);
    writeDeep(deep, names, 'bottom.jpg', Buffer.alloc(100, 3));
    const tooLong = `Images/deep/${names.slice(0, readableDepth(deep, names) + 1).join('/')}`;
    await writeBytes(root, 'Images/ok.jpg');

    try {
      const recorder = new Recorder();
      const watcher = await startWatcher(root, recorder);
      await waitFor(() => recorder.files.length > 0, 'the ordinary file');

      // Written to the other library later, and a library moved in whole: events, not only scans.
      await writeBytes(root, 'Images/other/Images/later.jpg');
      await writeOtherLibrary(root, 'incoming');
      await rename(path.join(root, 'incoming'), path.join(images, 'moved-in'));
      await writeBytes(root, 'Images/later.jpg');
      await waitFor(() => recorder.files.length > 1, 'the ordinary file written later');
      await sleep(FAST.stableMs * 3);
      await watcher.rescan();
      await watcher.rescan();
      await sleep(FAST.stableMs * 2);

      expect(recorder.paths().sort()).toEqual(['Images/later.jpg', 'Images/ok.jpg']);
      const said = recorder.errors.map((error) => ({
        code: (error as ClipSortError).code,
        message: error.message,
      }));
      const saying = (code: string, start: string) => ({
        code,
        message: expect.stringMatching(`^${start}`) as string,
      });
      expect(said).toHaveLength(5);
      expect(said).toEqual(
        expect.arrayContaining([
          saying('name-not-utf8', String.raw`Images/caf\\xE9\.jpg: the name is not valid UTF-8`),
          saying('name-not-utf8', String.raw`Images/caf\\xE8\.jpg: the name is not valid UTF-8`),
          saying('nested-library', 'Images/other is another ClipSort library; left alone'),
          saying('nested-library', 'Images/moved-in is another ClipSort library; left alone'),
          saying(
            'path-too-long',
            `The folder ${tooLong} cannot be opened: its path is longer than the system`,
          ),
        ]),
      );
    } finally {
      removeDeep(deep, names);
    }
  });
});
