import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInsideLibrary } from '../../electron/engine/library/safePaths.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

describe('resolveInsideLibrary', () => {
  it('resolves paths inside the library, existing or not', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'Images/2024'), { recursive: true });
    expect(await resolveInsideLibrary(root, 'Images/2024/a.jpg')).toBe(path.join(root, 'Images/2024/a.jpg'));
    expect(await resolveInsideLibrary(root, 'Dataset/new/deeper')).toBe(
      path.join(root, 'Dataset/new/deeper'),
    );
    expect(await resolveInsideLibrary(root, './Images//2024/')).toBe(path.join(root, 'Images/2024'));
  });

  it('allows links that stay inside, and a library folder kept on another disk', async () => {
    const root = await tempDir();
    const elsewhere = await tempDir('clipsort-elsewhere-');
    await mkdir(path.join(root, 'Dataset/cats'), { recursive: true });
    await symlink('cats', path.join(root, 'Dataset/kittens'));
    await mkdir(path.join(elsewhere, 'dogs'));
    await symlink(elsewhere, path.join(root, 'Images'));
    await symlink(path.join(elsewhere, 'dogs'), path.join(elsewhere, 'puppies'));

    expect(await resolveInsideLibrary(root, 'Dataset/kittens/a.jpg')).toBe(
      path.join(root, 'Dataset/kittens/a.jpg'),
    );
    expect(await resolveInsideLibrary(root, 'Images/dogs')).toBe(path.join(root, 'Images/dogs'));
    expect(await resolveInsideLibrary(root, 'Images/puppies/a.jpg')).toBe(
      path.join(root, 'Images/puppies/a.jpg'),
    );
  });

  it('refuses links that lead out, links that lead nowhere, and traversal', async () => {
    const root = await tempDir();
    const outside = await tempDir('clipsort-outside-');
    await mkdir(path.join(root, 'Dataset'), { recursive: true });
    await symlink(outside, path.join(root, 'Dataset/out'));
    await symlink('/nonexistent/clipsort', path.join(root, 'Dataset/nowhere'));
    await symlink(outside, path.join(root, 'Elsewhere')); // only the library's own folders may be links out

    for (const relative of [
      'Dataset/out',
      'Dataset/out/a.jpg',
      'Dataset/nowhere/a.jpg',
      'Elsewhere/a.jpg',
      '../a.jpg',
      '/etc/passwd',
      'Images/../../x',
      'D:\\photos',
    ]) {
      const error = await clipSortError(resolveInsideLibrary(root, relative));
      expect(error.code, relative).toBe('path-outside-library');
    }
  });
});
