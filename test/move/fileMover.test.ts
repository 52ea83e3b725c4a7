import { randomBytes } from 'node:crypto';
import fs, { lstat, mkdir, readdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileMover, moveFile } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
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
const library = useLibraries(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

const nfd = (text: string) => text.normalize('NFD');

describe('moving on one device', () => {
  it('keeps the bytes and the mtime, removes the source and journals the move as done', async () => {
    const { root, index } = await library();
    const mtime = new Date('2001-02-03T04:05:06.789Z');
    const bytes = await putFile(root, 'Images/2001/beach.jpg', randomBytes(50_000), mtime);
    const batch = newBatchId();

    const result = await moveFile(root, index, {
      from: 'Images/2001/beach.jpg',
      toFolder: 'Dataset/beach',
      kind: 'sort',
      batch,
    });

    expect(result.id).toBeTypeOf('number');
    expect(result).toEqual({
      id: result.id,
      from: 'Images/2001/beach.jpg',
      to: 'Dataset/beach/beach.jpg',
      companions: [],
    });
    expect(await hashAt(root, result.to)).toBe(sha256(bytes));
    expect((await stat(path.join(root, result.to))).mtime.getTime()).toBe(mtime.getTime());
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    const [row] = index.moves.batch(batch);
    expect(row).toMatchObject({
      id: result.id,
      kind: 'sort',
      state: 'done',
      method: 'link',
      source: 'Images/2001/beach.jpg',
      destination: 'Dataset/beach/beach.jpg',
      sha256: sha256(bytes),
      size: 50_000,
      temporary: null,
    });
    expect(row!.finishedAt).toBeGreaterThanOrEqual(row!.plannedAt);
  });

  it('gives 100 files of the same name 100 distinct names, every byte kept', async () => {
    const { root, index } = await library();
    for (let i = 0; i < 100; i++) await putFile(root, `Images/day${String(i).padStart(2, '0')}/photo.jpg`);
    const before = await contentMultiset(root);
    const mover = new FileMover(root, index);
    const batch = newBatchId();

    const results = [];
    for (let i = 0; i < 100; i++) {
      const from = `Images/day${String(i).padStart(2, '0')}/photo.jpg`;
      results.push(await mover.move({ from, toFolder: 'Dataset/holiday', kind: 'sort', batch }));
    }

    const names = await readdir(path.join(root, 'Dataset/holiday'));
    expect(names).toHaveLength(100);
    expect(new Set(results.map((r) => r.to)).size).toBe(100);
    expect(names).toContain('photo.jpg');
    expect(names).toContain('photo (2).jpg');
    expect(names).toContain('photo (100).jpg');
    expect(await contentMultiset(root)).toEqual(before);
    expect(index.moves.batch(batch).every((row) => row.state === 'done')).toBe(true);
  });

  it('treats case-only and NFC/NFD twins as taken names', async () => {
    const { root, index } = await library();
    const upper = await putFile(root, 'Dataset/beach/Beach.JPG');
    const decomposed = await putFile(root, `Dataset/beach/${nfd('café.jpg')}`);
    await putFile(root, 'Images/beach.jpg');
    await putFile(root, 'Images/café.jpg');
    const mover = new FileMover(root, index);
    const batch = newBatchId();

    const one = await mover.move({
      from: 'Images/beach.jpg',
      toFolder: 'Dataset/beach',
      kind: 'sort',
      batch,
    });
    const two = await mover.move({ from: 'Images/café.jpg', toFolder: 'Dataset/beach', kind: 'sort', batch });

    expect(one.to).toBe('Dataset/beach/beach (2).jpg');
    expect(two.to).toBe('Dataset/beach/café (2).jpg');
    expect(await hashAt(root, 'Dataset/beach/Beach.JPG')).toBe(sha256(upper));
    expect(await hashAt(root, `Dataset/beach/${nfd('café.jpg')}`)).toBe(sha256(decomposed));
  });

  it('does nothing when the destination folder is the source folder, by any spelling or by identity', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Dataset/cats/tom.jpg');
    await symlink('Dataset', path.join(root, 'Images'));
    const batch = newBatchId();

    for (const toFolder of ['Dataset/cats', 'Dataset/cats/', './Dataset/cats', 'Images/cats']) {
      const result = await moveFile(root, index, {
        from: 'Dataset/cats/tom.jpg',
        toFolder,
        kind: 'assign',
        batch,
      });
      expect(result).toEqual({
        id: null,
        from: 'Dataset/cats/tom.jpg',
        to: 'Dataset/cats/tom.jpg',
        companions: [],
      });
    }
    expect(await hashAt(root, 'Dataset/cats/tom.jpg')).toBe(sha256(bytes));
    expect(await readdir(path.join(root, 'Dataset/cats'))).toEqual(['tom.jpg']);
    expect(index.moves.batch(batch)).toEqual([]);
  });

  it('refuses a folder inside the library that is a link, even to another of its folders', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/tom.jpg');
    await mkdir(path.join(root, 'Dataset/cats'), { recursive: true });
    await symlink('cats', path.join(root, 'Dataset/also-cats'));
    const batch = newBatchId();

    const error = await clipSortError(
      moveFile(root, index, { from: 'Images/tom.jpg', toFolder: 'Dataset/also-cats', kind: 'assign', batch }),
    );
    expect(error.code).toBe('folder-is-link');
    expect(await hashAt(root, 'Images/tom.jpg')).toBe(sha256(bytes));
    expect(await readdir(path.join(root, 'Dataset/cats'))).toEqual([]);
    expect(index.moves.batch(batch)).toEqual([]);
  });

  it('never gives two moves at once the NFC and NFD spellings of one name', async () => {
    const { root, index } = await library();
    const mover = new FileMover(root, index);
    const batch = newBatchId();
    const sources: string[] = [];
    for (let i = 0; i < 6; i++) {
      const name = i % 2 === 0 ? 'café.jpg' : nfd('café.jpg');
      await putFile(root, `Images/${i}/${name}`);
      sources.push(`Images/${i}/${name}`);
    }

    const moved = await Promise.all(
      sources.map((from) => mover.move({ from, toFolder: 'Dataset/x', kind: 'sort', batch })),
    );

    const names = await readdir(path.join(root, 'Dataset/x'));
    expect(names).toHaveLength(6);
    expect(new Set(names.map((name) => name.normalize('NFC')))).toHaveLength(6);
    expect(moved.map(({ to }) => to).sort()).toEqual(names.map((name) => `Dataset/x/${name}`).sort());
  });

  it('moves names with emoji, names of 255 bytes and names starting with a dash', async () => {
    const { root, index } = await library();
    const long = `${'é'.repeat(125)}x.jpg`; // 255 bytes
    const names = ['🏖️ beach 🌊.jpg', long, '-rf.jpg', '--help.png'];
    const mover = new FileMover(root, index);
    const batch = newBatchId();
    for (const name of names) {
      await putFile(root, `Images/a/${name}`);
      await putFile(root, `Images/b/${name}`);
    }
    const before = await contentMultiset(root);
    for (const name of names) {
      for (const sub of ['a', 'b']) {
        await mover.move({
          from: `Images/${sub}/${name}`,
          toFolder: 'Dataset/🌴 summer',
          kind: 'sort',
          batch,
        });
      }
    }
    const moved = await readdir(path.join(root, 'Dataset/🌴 summer'));
    expect(moved).toHaveLength(8);
    expect(moved).toEqual(
      expect.arrayContaining(['🏖️ beach 🌊.jpg', '🏖️ beach 🌊 (2).jpg', '-rf.jpg', '-rf (2).jpg', long]),
    );
    expect(moved.every((name) => Buffer.byteLength(name) <= 255)).toBe(true);
    expect(moved.find((name) => name !== long && name.startsWith('ééé'))).toMatch(/^é+ \(2\)\.jpg$/);
    expect(await contentMultiset(root)).toEqual(before);
  });

  it('never replaces a name taken after the folder was listed', async () => {
    const { root, index } = await library();
    const theirs = await putFile(root, 'Dataset/cats/tom.jpg');
    const ours = await putFile(root, 'Images/tom.jpg');
    // The listing misses the file (another program wrote it just after we looked).
    vi.spyOn(fs, 'readdir').mockResolvedValueOnce([]);
    const batch = newBatchId();

    const result = await moveFile(root, index, {
      from: 'Images/tom.jpg',
      toFolder: 'Dataset/cats',
      kind: 'sort',
      batch,
    });

    expect(result.to).toBe('Dataset/cats/tom (2).jpg');
    expect(await hashAt(root, 'Dataset/cats/tom.jpg')).toBe(sha256(theirs));
    expect(await hashAt(root, 'Dataset/cats/tom (2).jpg')).toBe(sha256(ours));
    expect(index.moves.batch(batch)[0]!.destination).toBe('Dataset/cats/tom (2).jpg');
  });

  it('refuses paths that lead outside the library, and the state folder', async () => {
    const { root, index } = await library();
    const outside = await tempDir('clipsort-outside-');
    await putFile(root, 'Images/a.jpg');
    await mkdir(path.join(root, 'Dataset'), { recursive: true });
    await symlink(outside, path.join(root, 'Dataset/escape'));
    const batch = newBatchId();
    const attempts = [
      { from: '../a.jpg', toFolder: 'Dataset/x' },
      { from: '/etc/passwd', toFolder: 'Dataset/x' },
      { from: 'Images/a.jpg', toFolder: '/tmp' },
      { from: 'Images/a.jpg', toFolder: 'Dataset/../../x' },
      { from: 'Images/a.jpg', toFolder: 'C:\\Users' },
      { from: 'Images/a.jpg', toFolder: '.clipsort' },
    ];
    for (const attempt of attempts) {
      const error = await clipSortError(moveFile(root, index, { ...attempt, kind: 'assign', batch }));
      expect(error.code).toBe('path-outside-library');
    }
    // A folder inside the library that is a link is not followed, wherever it leads.
    for (const toFolder of ['Dataset/escape', 'Dataset/escape/deeper']) {
      const error = await clipSortError(
        moveFile(root, index, { from: 'Images/a.jpg', toFolder, kind: 'assign', batch }),
      );
      expect(error.code).toBe('folder-is-link');
      expect(error.message).toContain('Dataset/escape: this folder is a symbolic link');
    }
    expect(await walk(outside)).toEqual([]);
    expect(await walk(path.join(root, 'Images'))).toEqual(['a.jpg']);
    expect(index.moves.batch(batch)).toEqual([]);
  });

  it('refuses links, missing files and files that changed since they were looked at', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/real.jpg');
    await symlink('real.jpg', path.join(root, 'Images/link.jpg'));
    const batch = newBatchId();
    const move = (from: string, expectSha256?: string) =>
      moveFile(root, index, { from, toFolder: 'Dataset/x', kind: 'sort', batch, expectSha256 });

    expect((await clipSortError(move('Images/link.jpg'))).code).toBe('not-a-file');
    expect((await clipSortError(move('Images/gone.jpg'))).code).toBe('file-missing');
    expect((await clipSortError(move('Images/real.jpg', sha256(Buffer.from('other'))))).code).toBe(
      'file-changed',
    );
    expect((await lstat(path.join(root, 'Images/link.jpg'))).isSymbolicLink()).toBe(true);
    expect(await hashAt(root, 'Images/real.jpg')).toBe(sha256(bytes));
    expect(index.moves.batch(batch)).toEqual([]);

    const moved = await move('Images/real.jpg', sha256(bytes));
    expect(moved.to).toBe('Dataset/x/real.jpg');
    expect(await temporaryFiles(root)).toEqual([]);
  });
});

describe('the name asked for', () => {
  it('must be one file name', async () => {
    const { root, index } = await library();
    await putFile(root, 'Images/a.jpg');
    for (const name of ['../a.jpg', 'x/a.jpg', '..', '.', '..\\a.jpg']) {
      const error = await clipSortError(
        moveFile(root, index, {
          from: 'Images/a.jpg',
          toFolder: 'Dataset/x',
          kind: 'assign',
          batch: 'b',
          name,
        }),
      );
      expect(error.code, name).toBe('bad-name');
    }
    const named = await moveFile(root, index, {
      from: 'Images/a.jpg',
      toFolder: 'Dataset/x',
      kind: 'assign',
      batch: 'b',
      name: 'renamed.jpg',
    });
    expect(named.to).toBe('Dataset/x/renamed.jpg');
  });
});
