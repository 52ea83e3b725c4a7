import { execFileSync } from 'node:child_process';
import fs, { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moveFile } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashAt, isSameName, putFile, sha256, temporaryFiles, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
const mounted: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

const fast = { retry: { tries: 3, delayMs: 1 } };
const isRoot = process.getuid?.() === 0;
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Makes `dir` read-only with a read-only bind mount; resolves to why not when this system does not allow it. */
function mountReadOnly(dir: string): string | undefined {
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
  } catch (error) {
    return `a read-only bind mount is not permitted here (${(error as Error).message.split('\n')[0]})`;
  }
  mounted.push(dir);
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' });
  } catch (error) {
    return `the bind mount cannot be made read-only (${(error as Error).message.split('\n')[0]})`;
  }
  return undefined;
}

describe('when the filesystem refuses', () => {
  it('reports a read-only destination folder and leaves the source intact', async (context) => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const readOnly = path.join(root, 'Dataset/locked');
    await mkdir(readOnly, { recursive: true });
    // Permission bits do not stop root, so a read-only mount stands in for a read-only folder.
    const notMounted = mountReadOnly(readOnly);
    if (notMounted) return context.skip(notMounted);
    const batch = newBatchId();

    const error = await clipSortError(
      moveFile(root, index, { from: 'Images/a.jpg', toFolder: 'Dataset/locked', kind: 'sort', batch }),
    );

    expect(error.code).toBe('destination-readonly');
    expect(error.message).toContain(
      'Dataset/locked is on a disk mounted read-only. Images/a.jpg was left where it is',
    );
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    expect(await readdir(readOnly)).toEqual([]);
    const [row] = index.moves.batch(batch);
    expect(row!.state).toBe('failed');
    expect(row!.error).toContain('Dataset/locked is on a disk mounted read-only');
  });

  it("names the read-only folder: a missing destination's parent, or the source folder", async (context) => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    await mkdir(path.join(root, 'Dataset'), { recursive: true });
    const notMounted = mountReadOnly(path.join(root, 'Dataset'));
    if (notMounted) return context.skip(notMounted);
    const batch = newBatchId();
    const move = () =>
      clipSortError(
        moveFile(root, index, { from: 'Images/a.jpg', toFolder: 'Dataset/new', kind: 'sort', batch }),
      );

    const intoReadOnly = await move();
    expect(intoReadOnly.code).toBe('destination-readonly');
    expect(intoReadOnly.message).toContain('Dataset is on a disk mounted read-only');

    execFileSync('umount', [mounted.pop()!]);
    if (mountReadOnly(path.join(root, 'Images'))) return context.skip('the second mount was refused');
    const outOfReadOnly = await move();
    expect(outOfReadOnly.code).toBe('source-readonly');
    expect(outOfReadOnly.message).toContain(
      'Images is on a disk mounted read-only, so the photo cannot be taken out of it',
    );
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
  });

  it(`says a folder whose permissions forbid changes is read-only${isRoot ? ' (skipped: permission bits do not stop root)' : ''}`, async (context) => {
    if (isRoot) return context.skip();
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const locked = path.join(root, 'Dataset/locked');
    await mkdir(locked, { recursive: true });
    await fs.chmod(locked, 0o555);
    try {
      const error = await clipSortError(
        moveFile(root, index, {
          from: 'Images/a.jpg',
          toFolder: 'Dataset/locked',
          kind: 'sort',
          batch: newBatchId(),
        }),
      );
      expect(error.code).toBe('destination-readonly');
      expect(error.message).toContain('Dataset/locked is read-only (its permissions do not allow changes)');
      expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    } finally {
      await fs.chmod(locked, 0o755);
    }
  });

  it('reports a read-only disk (injected EROFS) and leaves the source intact', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    vi.spyOn(fs, 'link').mockRejectedValue(errno('EROFS'));
    const batch = newBatchId();

    const error = await clipSortError(
      moveFile(root, index, { from: 'Images/a.jpg', toFolder: 'Dataset/x', kind: 'sort', batch }),
    );

    expect(error.code).toBe('destination-readonly');
    expect(error.message).toMatch(/read-only.*Images\/a\.jpg was left where it is/);
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(index.moves.planned()).toEqual([]);
    expect(index.moves.batch(batch)[0]!.state).toBe('failed');
  });

  it('reports a full disk', async () => {
    const { root, index } = await library();
    await putFile(root, 'Images/a.jpg');
    vi.spyOn(fs, 'link').mockRejectedValue(errno('ENOSPC'));
    const error = await clipSortError(
      moveFile(root, index, {
        from: 'Images/a.jpg',
        toFolder: 'Dataset/x',
        kind: 'sort',
        batch: newBatchId(),
      }),
    );
    expect(error.code).toBe('disk-full');
    expect(await walk(path.join(root, 'Images'))).toEqual(['a.jpg']);
  });

  it('retries a file locked for a moment (EBUSY) and then moves it', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const unlink = vi.spyOn(fs, 'unlink');
    unlink.mockRejectedValueOnce(errno('EBUSY')).mockRejectedValueOnce(errno('EPERM'));
    const batch = newBatchId();

    const result = await moveFile(
      root,
      index,
      { from: 'Images/a.jpg', toFolder: 'Dataset/x', kind: 'sort', batch },
      fast,
    );

    expect(result.to).toBe('Dataset/x/a.jpg');
    expect(unlink).toHaveBeenCalledTimes(3);
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
  });

  it('puts the move back when the source stays locked, and says so', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const source = path.join(root, 'Images/a.jpg');
    // Windows refuses to rename (or remove) a file another program holds open.
    const rename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) =>
      (await isSameName(from, source)) ? Promise.reject(errno('EBUSY')) : rename(from, to),
    );
    const batch = newBatchId();

    const error = await clipSortError(
      moveFile(root, index, { from: 'Images/a.jpg', toFolder: 'Dataset/x', kind: 'sort', batch }, fast),
    );

    expect(error.code).toBe('file-busy');
    expect(error.message).toContain('Images/a.jpg was left where it is');
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    expect(await readdir(path.join(root, 'Dataset/x'))).toEqual([]);
    expect(index.moves.batch(batch)[0]!.state).toBe('failed');
  });

  it('leaves a move it cannot finish or undo for the next start, which finishes it', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    vi.spyOn(fs, 'unlink').mockRejectedValue(errno('EBUSY'));
    const batch = newBatchId();

    const error = await clipSortError(
      moveFile(root, index, { from: 'Images/a.jpg', toFolder: 'Dataset/x', kind: 'sort', batch }, fast),
    );
    expect(error.code).toBe('file-busy');
    expect(error.message).toContain('when ClipSort next starts');
    expect(index.moves.planned()).toHaveLength(1);

    // Still locked at the next start: nothing is decided, nothing lost.
    const stillLocked = await recoverMoves(root, index, fast);
    expect(stillLocked.problems).toEqual([
      expect.objectContaining({ code: 'recovery-failed', path: 'Images/a.jpg' }),
    ]);
    expect(index.moves.planned()).toHaveLength(1);

    vi.restoreAllMocks();
    const report = await recoverMoves(root, index, fast);
    expect(report).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(index.moves.batch(batch)[0]!.state).toBe('done');
    expect(await temporaryFiles(root)).toEqual([]);
  });
});
