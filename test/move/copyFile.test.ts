import fs, { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { FileCopier } from '../../electron/engine/move/copyFile.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashAt, putFile, sha256, temporaryFiles, useLibraries } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
afterEach(() => vi.restoreAllMocks());

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

describe('FileCopier', () => {
  it('copies byte for byte with the source’s times, leaving the source, and never over a file', async () => {
    const { root } = await library();
    const mtime = new Date('2019-09-09T09:09:09.000Z');
    const bytes = await putFile(root, 'Images/beach.jpg', undefined, mtime);
    const other = await putFile(root, 'Classes/sea/beach.jpg');
    const copier = new FileCopier(root);

    const first = await copier.copy({ from: 'Images/beach.jpg', toFolder: 'Classes/sea' });
    const second = await copier.copy({ from: 'Images/beach.jpg', toFolder: 'Classes/sea' });
    expect([first.to, second.to]).toEqual(['Classes/sea/beach (2).jpg', 'Classes/sea/beach (3).jpg']);
    expect(first.sha256).toBe(sha256(bytes));
    for (const file of ['Images/beach.jpg', first.to, second.to])
      expect(await hashAt(root, file)).toBe(sha256(bytes));
    expect(await hashAt(root, 'Classes/sea/beach.jpg')).toBe(sha256(other));
    expect((await stat(resolveLibraryPath(root, first.to))).mtime.getTime()).toBe(mtime.getTime());
    expect(await temporaryFiles(root)).toEqual([]);
  });

  it('takes the next name when one appears just before it is claimed', async () => {
    const { root } = await library();
    const bytes = await putFile(root, 'Images/a.png');
    const link = fs.link.bind(fs);
    vi.spyOn(fs, 'link').mockImplementationOnce(async (from, to) => {
      await writeFile(to, 'someone else was faster');
      return link(from, to);
    });
    const copied = await new FileCopier(root).copy({ from: 'Images/a.png', toFolder: 'Classes/x' });
    expect(copied.to).toBe('Classes/x/a (2).png');
    expect(await hashAt(root, copied.to)).toBe(sha256(bytes));
    expect(await fs.readFile(resolveLibraryPath(root, 'Classes/x/a.png'), 'utf8')).toBe(
      'someone else was faster',
    );
  });

  it('writes a second copy where there are no hard links, and removes it when that fails', async () => {
    const { root } = await library();
    const bytes = await putFile(root, 'Images/a.png');
    vi.spyOn(fs, 'link').mockRejectedValue(errno('EPERM'));
    const copier = new FileCopier(root);
    const copied = await copier.copy({ from: 'Images/a.png', toFolder: 'Classes/x' });
    expect(copied.to).toBe('Classes/x/a.png');
    expect(await hashAt(root, copied.to)).toBe(sha256(bytes));

    // The second copy fails half-way (the disk fills): neither it nor the temporary file is left behind.
    const open = fs.open.bind(fs);
    vi.spyOn(fs, 'open').mockImplementation(async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      if (flags === 'wx' && !path.basename(String(file)).startsWith('.clipsort-')) {
        vi.spyOn(handle, 'write').mockRejectedValue(errno('ENOSPC'));
      }
      return handle;
    });
    const full = await clipSortError(copier.copy({ from: 'Images/a.png', toFolder: 'Classes/x' }));
    expect(full.code).toBe('disk-full');
    expect(full.message).toBe('Images/a.png could not be copied to Classes/x: the destination disk is full.');
    expect(await readdir(resolveLibraryPath(root, 'Classes/x'))).toEqual(['a.png']);
    expect(await hashAt(root, 'Images/a.png')).toBe(sha256(bytes));
  });

  it('refuses a missing file, a link, the state folder and paths that lead out, copying nothing', async () => {
    const { root } = await library();
    await putFile(root, 'Images/a.png');
    await fs.symlink(resolveLibraryPath(root, 'Images/a.png'), resolveLibraryPath(root, 'Images/link.png'));
    const copier = new FileCopier(root);
    const refused = async (from: string) =>
      (await clipSortError(copier.copy({ from, toFolder: 'Classes/x' }))).code;
    expect(await refused('Images/gone.png')).toBe('file-missing');
    expect(await refused('Images/link.png')).toBe('not-a-file');
    expect(await refused('.clipsort/library.db')).toBe('path-outside-library');
    expect(await refused('../a.png')).toBe('path-outside-library');
    expect(await refused('/etc/hostname')).toBe('path-outside-library');
    expect(await readdir(resolveLibraryPath(root, 'Classes/x')).catch(() => [])).toEqual([]);
  });

  it('leaves no copy when the source changes while it is copied', async () => {
    const { root } = await library();
    await putFile(root, 'Images/a.png');
    const source = resolveLibraryPath(root, 'Images/a.png');
    const open = fs.open.bind(fs);
    vi.spyOn(fs, 'open').mockImplementation(async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      if (flags === 'wx') await utimes(source, new Date(), new Date('2001-01-01'));
      return handle;
    });
    const error = await clipSortError(
      new FileCopier(root).copy({ from: 'Images/a.png', toFolder: 'Classes/x' }),
    );
    expect(error.code).toBe('file-changing');
    expect(await readdir(resolveLibraryPath(root, 'Classes/x'))).toEqual([]);
  });
});
