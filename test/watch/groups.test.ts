import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tempDir.js';
import { FAST, Recorder, makeLibrary, sleep, useWatchers, waitFor, writeBytes } from './libraryHarness.js';

const tempDir = useTempDirs();
const startWatcher = useWatchers();

describe('watchLibrary: files that move as one', () => {
  it('reports a photo only once the RAW written after it is complete, and never the RAW itself', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await writeBytes(root, 'Images/DSC_0001.JPG');
    await sleep(FAST.stableMs / 2);
    // A camera import writes the RAW after the JPEG, slowly: the JPEG is stable long before the RAW is.
    const raw = path.join(root, 'Images', 'DSC_0001.NEF');
    await writeFile(raw, Buffer.alloc(4096, 1));
    for (let i = 0; i < 8; i++) {
      await sleep(FAST.stableMs / 2);
      await appendFile(raw, Buffer.alloc(4096, i));
    }
    const lastWrite = Date.now();
    await waitFor(() => recorder.files.length > 0, 'the photo');
    await sleep(FAST.stableMs * 3);
    expect(recorder.paths()).toEqual(['Images/DSC_0001.JPG']);
    expect(recorder.files[0]!.at - lastWrite).toBeGreaterThanOrEqual(FAST.stableMs - 20);
  });

  it('reports a Live Photo by its photo, a lone RAW by itself, and never a video, sidecar or edit file', async () => {
    const root = await makeLibrary(await tempDir());
    for (const name of ['IMG_0007.HEIC', 'img_0007.mov', 'IMG_0007.AAE', 'IMG_0007.HEIC.xmp', 'DSC_2.CR2']) {
      await writeBytes(root, `Images/${name}`);
    }
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await waitFor(() => recorder.files.length >= 2, 'the photos present at start');
    await writeBytes(root, 'Images/trip/clip.mp4');
    await writeBytes(root, 'Images/trip/notes.xmp');
    await writeBytes(root, 'Images/trip/beach.mov');
    await writeBytes(root, 'Images/trip/beach.jpg');
    await waitFor(() => recorder.files.length >= 3, 'the photo added later');
    await sleep(FAST.stableMs * 3);
    expect(recorder.paths().sort()).toEqual([
      'Images/DSC_2.CR2',
      'Images/IMG_0007.HEIC',
      'Images/trip/beach.jpg',
    ]);
  });

  it('waits while a member is still being downloaded', async () => {
    const root = await makeLibrary(await tempDir());
    const recorder = new Recorder();
    await startWatcher(root, recorder);
    await writeBytes(root, 'Images/IMG_1.HEIC');
    await writeBytes(root, 'Images/IMG_1.MOV.crdownload');
    await sleep(FAST.stableMs * 4);
    expect(recorder.files).toEqual([]);
    await writeBytes(root, 'Images/IMG_1.MOV');
    await rm(path.join(root, 'Images/IMG_1.MOV.crdownload'));
    await waitFor(() => recorder.files.length > 0, 'the photo once its video arrived');
    expect(recorder.paths()).toEqual(['Images/IMG_1.HEIC']);
  });
});
