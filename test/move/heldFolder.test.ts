import { link, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdFolder, isStillAt } from '../../electron/engine/move/heldFolder.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashAt, planMove, putFile, sha256, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
const pinned = process.platform === 'linux';

describe('holding library folders', () => {
  it('creates a missing folder with its parents, and refuses links and files on the way', async () => {
    const { root } = await library();
    const outside = await tempDir('clipsort-outside-');
    await mkdir(path.join(root, 'Dataset'), { recursive: true });
    await symlink(outside, path.join(root, 'Dataset/out'));
    await writeFile(path.join(root, 'Dataset/file'), 'x');

    const held = await holdFolder(root, 'Dataset/new/deeper', { create: true });
    await held.close();
    expect(await readdir(path.join(root, 'Dataset/new'))).toEqual(['deeper']);
    for (const [folder, code] of [
      ['Dataset/out', 'folder-is-link'],
      ['Dataset/out/x', 'folder-is-link'],
      ['Dataset/file/x', 'not-a-folder'],
      ['../x', 'path-outside-library'],
    ] as const) {
      expect((await clipSortError(holdFolder(root, folder, { create: true }))).code).toBe(code);
    }
    expect(await walk(outside)).toEqual([]);
  });

  it("lets the library's own folders be links to another disk", async () => {
    const { root } = await library();
    const far = await tempDir('clipsort-far-');
    await symlink(far, path.join(root, 'Dataset'));

    const held = await holdFolder(root, 'Dataset/red', { create: true });
    try {
      await writeFile(path.join(held.path, 'a.jpg'), 'photo');
      expect(await isStillAt(root, held)).toBe(true);
    } finally {
      await held.close();
    }
    expect(await readFile(path.join(far, 'red/a.jpg'), 'utf8')).toBe('photo');
  });

  it.runIf(pinned)(
    'keeps reaching the folder itself when its name is given to a link (Linux only: no other system has a path that follows an open folder)',
    async () => {
      const { root } = await library();
      const outside = await tempDir('clipsort-outside-');
      await mkdir(path.join(root, 'Dataset/red'), { recursive: true });

      const held = await holdFolder(root, 'Dataset/red');
      try {
        await rename(path.join(root, 'Dataset/red'), path.join(root, 'Dataset/moved'));
        await symlink(outside, path.join(root, 'Dataset/red'));
        await writeFile(path.join(held.path, 'a.jpg'), 'photo');
        expect(await isStillAt(root, held)).toBe(false);
      } finally {
        await held.close();
      }
      expect(await readdir(path.join(root, 'Dataset/moved'))).toEqual(['a.jpg']);
      expect(await walk(outside)).toEqual([]);
    },
  );

  it('leaves a planned move whose folder became a link to outside for a person to see', async () => {
    const { root, index } = await library();
    const outside = await tempDir('clipsort-outside-');
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await link(path.join(root, 'Images/a.jpg'), path.join(root, 'Dataset/x/a.jpg'));
    // After the crash, someone swaps the destination for a link to a folder holding a file of that name.
    await rename(path.join(root, 'Dataset/x'), path.join(root, 'Dataset/x-was'));
    await writeFile(path.join(outside, 'a.jpg'), 'someone else');
    await symlink(outside, path.join(root, 'Dataset/x'));

    const report = await recoverMoves(root, index);
    expect(report.problems.map(({ id, code }) => ({ id, code }))).toEqual([{ id, code: 'recovery-failed' }]);
    expect(report.problems[0]!.message).toContain('Dataset/x: this folder is a symbolic link');
    expect(index.moves.get(id)!.state).toBe('planned');
    expect(await readFile(path.join(outside, 'a.jpg'), 'utf8')).toBe('someone else');
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
  });
});
