import { appendFile, readdir, stat, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { FileMover } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { undoMoves } from '../../electron/engine/move/undoMoves.js';
import type { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { acrossDevices, acrossDevicesNote, useFarDirs } from './farDevice.js';
import {
  contentMultiset,
  hashAt,
  putFile,
  sha256,
  temporaryFiles,
  useLibraries,
  walk,
} from './moveLibrary.js';

const tempDir = useTempDirs();
const farDir = useFarDirs();
const library = useLibraries(tempDir);

/** Sorts `files` (library-relative) into `toFolder` as one batch; resolves to the batch id. */
async function sort(root: string, index: LibraryIndex, files: string[], toFolder: string): Promise<string> {
  const mover = new FileMover(root, index);
  const batch = newBatchId();
  for (const from of files) await mover.move({ from, toFolder, kind: 'sort', batch });
  return batch;
}

describe('undo', () => {
  it('removes the folders the undone batch created once they are empty, and no other folder', async () => {
    const { root, index } = await library();
    for (const file of ['Images/a.jpg', 'Images/b.jpg', 'Images/c.jpg']) await putFile(root, file);
    await putFile(root, 'Dataset/existing/keep.txt');
    await unlink(resolveLibraryPath(root, 'Dataset/existing/keep.txt'));
    const mover = new FileMover(root, index);
    const batch = newBatchId();
    await mover.move({ from: 'Images/a.jpg', toFolder: 'Dataset/new/deep', kind: 'sort', batch });
    await mover.move({ from: 'Images/b.jpg', toFolder: 'Dataset/cats', kind: 'sort', batch });
    await mover.move({ from: 'Images/c.jpg', toFolder: 'Dataset/existing', kind: 'sort', batch });
    // Someone files a photo of their own into a folder the batch made: that folder stays.
    await putFile(root, 'Dataset/cats/mine.jpg');

    const undone = await undoMoves(root, index);
    expect(undone.restored).toHaveLength(3);
    expect(undone.removedFolders).toEqual(['Dataset/new/deep', 'Dataset/new']);
    expect(await walk(path.join(root, 'Dataset'))).toEqual(['cats/mine.jpg']);
    const remaining = await readdir(path.join(root, 'Dataset'));
    expect(remaining.sort()).toEqual(['cats', 'existing']);
  });

  it('puts the last batch back byte for byte, then the one before, then nothing', async () => {
    const { root, index } = await library();
    const mtime = new Date('2015-05-05T05:05:05.555Z');
    const first = ['Images/2015/a.jpg', 'Images/2015/b.jpg', 'Images/c.jpg'];
    const second = ['Images/d.jpg', 'Images/2016/a.jpg'];
    const hashes = new Map<string, string>();
    for (const file of [...first, ...second])
      hashes.set(file, sha256(await putFile(root, file, undefined, mtime)));
    await sort(root, index, first, 'Dataset/cats');
    const secondBatch = await sort(root, index, second, 'Dataset/cats');
    expect((await walk(path.join(root, 'Dataset/cats'))).length).toBe(5);

    const undone = await undoMoves(root, index);
    expect(undone.skipped).toEqual([]);
    expect(undone.restored.map((r) => r.to).sort()).toEqual([...second].sort());
    for (const file of second) {
      expect(await hashAt(root, file)).toBe(hashes.get(file));
      expect((await stat(resolveLibraryPath(root, file))).mtime.getTime()).toBe(mtime.getTime());
    }
    expect(index.moves.batch(secondBatch).map((row) => row.state)).toEqual(['undone', 'undone']);
    expect(index.moves.batch(undone.batch).map((row) => [row.kind, row.state])).toEqual([
      ['undo', 'done'],
      ['undo', 'done'],
    ]);
    expect(index.moves.batch(secondBatch).map((row) => row.undoneBy)).toEqual(
      [...index.moves.batch(undone.batch)].reverse().map((row) => row.id),
    );

    const undoneToo = await undoMoves(root, index);
    expect(undoneToo.restored.map((r) => r.to).sort()).toEqual([...first].sort());
    for (const file of first) expect(await hashAt(root, file)).toBe(hashes.get(file));
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);

    expect(await undoMoves(root, index)).toMatchObject({ restored: [], skipped: [] });
  });

  it('undoes everything once with `all`, and a second time does nothing', async () => {
    const { root, index } = await library();
    for (const file of ['Images/a.jpg', 'Images/b.jpg', 'Images/c.jpg']) await putFile(root, file);
    const before = await contentMultiset(root);
    await sort(root, index, ['Images/a.jpg'], 'Dataset/x');
    await sort(root, index, ['Images/b.jpg'], 'Dataset/y');
    await sort(root, index, ['Images/c.jpg'], 'Dataset/z');
    // A file assigned again after it was sorted goes back through both moves.
    const mover = new FileMover(root, index);
    await mover.move({ from: 'Dataset/x/a.jpg', toFolder: 'Dataset/y', kind: 'assign', batch: newBatchId() });

    const report = await undoMoves(root, index, { all: true });
    expect(report.skipped).toEqual([]);
    expect(report.restored).toHaveLength(4);
    expect(await walk(path.join(root, 'Images'))).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(await contentMultiset(root)).toEqual(before);

    expect(await undoMoves(root, index, { all: true })).toMatchObject({ restored: [], skipped: [] });
    expect(await walk(path.join(root, 'Images'))).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
  });

  it('undoes the last N batches', async () => {
    const { root, index } = await library();
    for (const file of ['Images/a.jpg', 'Images/b.jpg', 'Images/c.jpg']) await putFile(root, file);
    await sort(root, index, ['Images/a.jpg'], 'Dataset/x');
    await sort(root, index, ['Images/b.jpg'], 'Dataset/x');
    await sort(root, index, ['Images/c.jpg'], 'Dataset/x');

    const report = await undoMoves(root, index, { last: 2 });
    expect(report.restored.map((r) => r.to)).toEqual(['Images/c.jpg', 'Images/b.jpg']);
    expect(await walk(path.join(root, 'Dataset'))).toEqual(['x/a.jpg']);
  });

  it('restores onto a taken path under a numbered name, never over the file there', async () => {
    const { root, index } = await library();
    const original = await putFile(root, 'Images/beach.jpg');
    await sort(root, index, ['Images/beach.jpg'], 'Dataset/beach');
    const newcomer = await putFile(root, 'Images/Beach.JPG'); // a new file took the name (case aside)

    const report = await undoMoves(root, index);

    expect(report.restored.map(({ from, to }) => ({ from, to }))).toEqual([
      { from: 'Dataset/beach/beach.jpg', to: 'Images/beach (2).jpg' },
    ]);
    expect(await hashAt(root, 'Images/beach (2).jpg')).toBe(sha256(original));
    expect(await hashAt(root, 'Images/Beach.JPG')).toBe(sha256(newcomer));
  });

  it('reports files modified or removed since they were moved, and leaves them alone', async () => {
    const { root, index } = await library();
    for (const file of ['Images/kept.jpg', 'Images/edited.jpg', 'Images/deleted.jpg'])
      await putFile(root, file);
    await sort(root, index, ['Images/kept.jpg', 'Images/edited.jpg', 'Images/deleted.jpg'], 'Dataset/x');
    await appendFile(resolveLibraryPath(root, 'Dataset/x/edited.jpg'), 'retouched');
    const edited = await hashAt(root, 'Dataset/x/edited.jpg');
    await unlink(resolveLibraryPath(root, 'Dataset/x/deleted.jpg'));

    const report = await undoMoves(root, index);

    expect(report.restored.map((r) => r.to)).toEqual(['Images/kept.jpg']);
    expect(report.skipped.map((skip) => ({ path: skip.path, code: skip.code }))).toEqual([
      { path: 'Dataset/x/deleted.jpg', code: 'file-missing' },
      { path: 'Dataset/x/edited.jpg', code: 'file-changed' },
    ]);
    expect(report.skipped[1]!.message).toContain('modified');
    expect(await hashAt(root, 'Dataset/x/edited.jpg')).toBe(edited);
    expect(await walk(path.join(root, 'Images'))).toEqual(['kept.jpg']);
  });

  it.skipIf(!acrossDevices)(`brings files back from another device${acrossDevicesNote}`, async () => {
    const { root, index } = await library();
    await symlink(await farDir(), path.join(root, 'Dataset'));
    const mtime = new Date('2020-02-20T20:20:20.202Z');
    const bytes = await putFile(root, 'Images/sub/a.jpg', undefined, mtime);
    await sort(root, index, ['Images/sub/a.jpg'], 'Dataset/x');

    const report = await undoMoves(root, index);

    expect(report.restored.map((r) => r.to)).toEqual(['Images/sub/a.jpg']);
    expect(await hashAt(root, 'Images/sub/a.jpg')).toBe(sha256(bytes));
    const restored = await stat(resolveLibraryPath(root, 'Images/sub/a.jpg'));
    expect(Math.abs(restored.mtimeMs - mtime.getTime())).toBeLessThan(1);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(await temporaryFiles(root)).toEqual([]);
  });
});
