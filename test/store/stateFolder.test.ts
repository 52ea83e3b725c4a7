import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { LibraryLock } from '../../electron/engine/store/libraryLock.js';
import { thrownClipSortError as thrown } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe("the library's own state", () => {
  const tempDir = useTempDirs();

  it('refuses a .clipsort that is a link out of the library, and writes nothing there', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await symlink(outside, path.join(root, '.clipsort'));
    expect(thrown(() => LibraryIndex.open(root)).code).toBe('state-outside-library');
    await expect(LibraryLock.acquire(root, 'clipsort sort')).rejects.toMatchObject({
      code: 'state-outside-library',
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a library.db that is a link out of the library, and leaves its target alone', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(path.join(outside, 'other.db'), 'not ours');
    await mkdir(path.join(root, '.clipsort'));
    await symlink(path.join(outside, 'other.db'), path.join(root, '.clipsort/library.db'));
    const error = thrown(() => LibraryIndex.open(root));
    expect(error.code).toBe('state-outside-library');
    expect(error.message).toContain(path.join(outside, 'other.db'));
    expect(await readdir(outside)).toEqual(['other.db']);
  });

  it('accepts a .clipsort linked to a folder inside the library', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'state'));
    await symlink(path.join(root, 'state'), path.join(root, '.clipsort'));
    LibraryIndex.open(root).close();
    expect(await readdir(path.join(root, 'state'))).toContain('library.db');
  });

  it('says a damaged library.db is damaged, not that it must be on a local disk', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, '.clipsort'));
    await writeFile(path.join(root, '.clipsort/library.db'), Buffer.alloc(8192, 0x5a));
    const error = thrown(() => LibraryIndex.open(root));
    expect(error.code).toBe('library-db-damaged');
    expect(error.message).toContain('is damaged');
    expect(error.message).not.toContain('local disk');
  });
});
