import { randomBytes } from 'node:crypto';
import fs, { appendFile, chmod, readdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileMover, moveFile } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { acrossDevices, acrossDevicesNote, useFarDirs } from './farDevice.js';
import {
  contentMultiset,
  putFile,
  hashAt,
  sha256,
  temporaryFiles,
  useLibraries,
  walk,
} from './moveLibrary.js';

const tempDir = useTempDirs();
const farDir = useFarDirs();
const library = useLibraries(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

/** A library whose Dataset folder is on another device. */
async function farLibrary() {
  const opened = await library();
  const far = await farDir();
  await symlink(far, path.join(opened.root, 'Dataset'));
  return { ...opened, far };
}

describe(`moving to another device${acrossDevicesNote}`, () => {
  it.skipIf(!acrossDevices)('copies, verifies and keeps bytes, mtime and permissions', async () => {
    const { root, index, far } = await farLibrary();
    expect((await stat(far)).dev).not.toBe((await stat(root)).dev);
    const mtime = new Date('1999-12-31T23:59:58.123Z');
    const big = await putFile(root, 'Images/big.jpg', randomBytes(5 * 1024 * 1024 + 17), mtime);
    await chmod(path.join(root, 'Images/big.jpg'), 0o640);
    const small = await putFile(root, 'Images/small.png', randomBytes(10), mtime);
    const batch = newBatchId();
    const mover = new FileMover(root, index);

    const one = await mover.move({ from: 'Images/big.jpg', toFolder: 'Dataset/cats', kind: 'sort', batch });
    const two = await mover.move({ from: 'Images/small.png', toFolder: 'Dataset/cats', kind: 'sort', batch });

    expect(one.to).toBe('Dataset/cats/big.jpg');
    expect(two.to).toBe('Dataset/cats/small.png');
    expect(await hashAt(root, one.to)).toBe(sha256(big));
    expect(await hashAt(root, two.to)).toBe(sha256(small));
    const copied = await stat(path.join(far, 'cats/big.jpg'));
    expect(Math.abs(copied.mtimeMs - mtime.getTime())).toBeLessThan(1);
    expect(copied.mode & 0o777).toBe(0o640);
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(await temporaryFiles(root)).toEqual([]);
    const rows = index.moves.batch(batch);
    expect(rows.map((row) => [row.state, row.method])).toEqual([
      ['done', 'copy'],
      ['done', 'copy'],
    ]);
    expect(rows[0]!.temporary).toMatch(/^Dataset\/cats\/\.clipsort-[0-9a-f]{16}\.tmp$/);
    expect(rows[0]!.copyFile).toMatch(/^\d+:\d+$/);
  });

  it.skipIf(!acrossDevices)('numbers taken names there too, case and normalisation included', async () => {
    const { root, index } = await farLibrary();
    await putFile(root, 'Dataset/cats/TOM.jpg');
    await putFile(root, `Dataset/cats/${'zoë.jpg'.normalize('NFD')}`);
    await putFile(root, 'Images/1/tom.jpg');
    await putFile(root, 'Images/2/tom.jpg');
    await putFile(root, 'Images/zoë.jpg');
    const before = await contentMultiset(root);
    const mover = new FileMover(root, index);
    const batch = newBatchId();
    const moved = [];
    for (const from of ['Images/1/tom.jpg', 'Images/2/tom.jpg', 'Images/zoë.jpg']) {
      moved.push((await mover.move({ from, toFolder: 'Dataset/cats', kind: 'sort', batch })).to);
    }
    expect(moved).toEqual([
      'Dataset/cats/tom (2).jpg',
      'Dataset/cats/tom (3).jpg',
      'Dataset/cats/zoë (2).jpg',
    ]);
    expect(await contentMultiset(root)).toEqual(before);
  });

  it.skipIf(!acrossDevices)(
    'leaves a source that changes during the copy where it is, and no copy behind',
    async () => {
      const { root, index } = await farLibrary();
      await putFile(root, 'Images/busy.jpg', randomBytes(100_000));
      const source = path.join(root, 'Images/busy.jpg');
      const link = fs.link.bind(fs);
      // Another program appends to the file just as the move starts.
      vi.spyOn(fs, 'link').mockImplementationOnce(async (from, to) => {
        await appendFile(source, 'more');
        return link(from, to);
      });
      const batch = newBatchId();

      const error = await clipSortError(
        moveFile(root, index, { from: 'Images/busy.jpg', toFolder: 'Dataset/x', kind: 'sort', batch }),
      );

      expect(error.code).toBe('file-changing');
      expect((await stat(source)).size).toBe(100_004);
      expect(await readdir(path.join(root, 'Dataset/x'))).toEqual([]);
      const [row] = index.moves.batch(batch);
      expect(row!.state).toBe('failed');
      expect(row!.error).toContain('changed');
    },
  );
});

describe('moving where hard links are not supported (FAT, exFAT, some network shares)', () => {
  it('falls back to an exclusive, verified copy and still never replaces a file', async () => {
    const { root, index } = await library();
    const mtime = new Date('2010-06-01T12:00:00Z');
    const theirs = await putFile(root, 'Dataset/cats/tom.jpg');
    const ours = await putFile(root, 'Images/tom.jpg', randomBytes(3 * 1024 * 1024), mtime);
    const noLinks = Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    const linkSpy = vi.spyOn(fs, 'link').mockRejectedValue(noLinks);
    const batch = newBatchId();

    const result = await moveFile(root, index, {
      from: 'Images/tom.jpg',
      toFolder: 'Dataset/cats',
      kind: 'sort',
      batch,
    });

    expect(linkSpy).toHaveBeenCalled();
    expect(result.to).toBe('Dataset/cats/tom (2).jpg');
    expect(await hashAt(root, 'Dataset/cats/tom (2).jpg')).toBe(sha256(ours));
    expect(await hashAt(root, 'Dataset/cats/tom.jpg')).toBe(sha256(theirs));
    expect((await stat(path.join(root, result.to))).mtime.getTime()).toBe(mtime.getTime());
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(await temporaryFiles(root)).toEqual([]);
    expect(index.moves.batch(batch)[0]).toMatchObject({
      state: 'done',
      method: 'copy-direct',
      sha256: sha256(ours),
    });
  });
});
