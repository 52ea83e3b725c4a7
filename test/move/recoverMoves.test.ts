import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, link, lstat, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { fileKey } from '../../electron/engine/move/fileState.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import type { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashAt, planMove, putFile, sha256, temporaryFiles, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);

const at = (root: string, relative: string) => resolveLibraryPath(root, relative);

/** Records that a copy to `temporary` started, and (once written) its identity. */
async function startCopy(
  root: string,
  index: LibraryIndex,
  id: number,
  temporary: string,
  written?: Uint8Array,
) {
  index.moves.startCopy(id, temporary);
  if (written === undefined) return;
  await writeFile(at(root, temporary), written);
  index.moves.setCopyFile(id, fileKey(await lstat(at(root, temporary), { bigint: true })));
}

describe('recovering unfinished moves', () => {
  it('puts back a move that had not started on disk', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');

    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 1, problems: [] });
    expect(index.moves.get(id)!.state).toBe('rolled-back');
    expect(index.moves.get(id)!.error).toContain('stopped');
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
  });

  it('finishes a move whose hard link was made but whose source was not yet removed', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await link(at(root, 'Images/a.jpg'), at(root, 'Dataset/x/a.jpg'));

    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(index.moves.get(id)!.state).toBe('done');
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
  });

  it('marks done a move that completed on disk before the journal heard of it', async () => {
    const { root, index } = await library();
    await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await link(at(root, 'Images/a.jpg'), at(root, 'Dataset/x/a.jpg'));
    await unlink(at(root, 'Images/a.jpg'));
    // Someone drops a new file with the old name into the inbox: it is theirs and stays.
    const newcomer = await putFile(root, 'Images/a.jpg');

    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(index.moves.get(id)!.state).toBe('done');
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(newcomer));
  });

  it('removes a partial temporary copy when the source is still there', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg', randomBytes(10_000));
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await startCopy(root, index, id, 'Dataset/x/.clipsort-0123456789abcdef.tmp', bytes.subarray(0, 4000));

    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 1, problems: [] });
    expect(await temporaryFiles(root)).toEqual([]);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
  });

  it('finishes a verified copy by removing the unchanged source', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    const temporary = 'Dataset/x/.clipsort-00000000000000aa.tmp';
    await startCopy(root, index, id, temporary, bytes);
    await link(at(root, temporary), at(root, 'Dataset/x/a.jpg'));

    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(await walk(path.join(root, 'Dataset'))).toEqual(['x/a.jpg']);
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
  });

  it('keeps a source that changed after it was copied, and removes the stale copy', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await startCopy(root, index, id, 'Dataset/x/.clipsort-00000000000000bb.tmp', bytes);
    await link(at(root, 'Dataset/x/.clipsort-00000000000000bb.tmp'), at(root, 'Dataset/x/a.jpg'));
    await unlink(at(root, 'Dataset/x/.clipsort-00000000000000bb.tmp'));
    await appendFile(at(root, 'Images/a.jpg'), 'edited');

    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 1, problems: [] });
    expect(index.moves.get(id)!.error).toContain('changed');
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(Buffer.concat([bytes, Buffer.from('edited')])));
  });

  it('never touches a file of the same name that is not ours', async () => {
    const { root, index } = await library();
    const ours = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    const theirs = await putFile(root, 'Dataset/x/a.jpg'); // appeared after the name was chosen
    // A duplicate of our bytes under the name we claimed is still not ours while our source exists.
    const twinId = await planMove(root, index, 'Images/a.jpg', 'Dataset/y/a.jpg');
    await copyFile(at(root, 'Images/a.jpg'), at(root, 'Dataset/y/a.jpg'));

    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 2, problems: [] });
    expect(index.moves.get(id)!.state).toBe('rolled-back');
    expect(index.moves.get(twinId)!.state).toBe('rolled-back');
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(ours));
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(theirs));
    expect(await hashAt(root, 'Dataset/y/a.jpg')).toBe(sha256(ours));
  });

  it('marks done when the source is gone and the destination holds its bytes', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await copyFile(at(root, 'Images/a.jpg'), at(root, 'Dataset/x/a.jpg'));
    await unlink(at(root, 'Images/a.jpg'));

    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(index.moves.get(id)!.state).toBe('done');
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
  });

  it('names a complete temporary copy when it is all that is left of the file', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await startCopy(root, index, id, 'Dataset/x/.clipsort-00000000000000cc.tmp', bytes);
    await unlink(at(root, 'Images/a.jpg')); // another program removed the original meanwhile
    const theirs = await putFile(root, 'Dataset/x/a.jpg');

    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(index.moves.get(id)).toMatchObject({ state: 'done', destination: 'Dataset/x/a (2).jpg' });
    expect(await hashAt(root, 'Dataset/x/a (2).jpg')).toBe(sha256(bytes));
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(theirs));
    expect(await temporaryFiles(root)).toEqual([]);
  });

  it('keeps a partial copy when the original disappeared, and reports it', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    const temporary = 'Dataset/x/.clipsort-00000000000000dd.tmp';
    await startCopy(root, index, id, temporary, bytes.subarray(0, 100));
    await unlink(at(root, 'Images/a.jpg'));

    const report = await recoverMoves(root, index);
    expect(report.problems).toEqual([expect.objectContaining({ id, code: 'copy-incomplete' })]);
    expect(index.moves.get(id)!.state).toBe('failed');
    expect(await temporaryFiles(root)).toEqual([temporary]);
  });

  it('leaves temporary files it has no record of alone', async () => {
    const { root, index } = await library();
    await putFile(root, 'Dataset/x/.clipsort-ffffffffffffffff.tmp');
    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 0, problems: [] });
    expect(await temporaryFiles(root)).toEqual(['Dataset/x/.clipsort-ffffffffffffffff.tmp']);
  });

  it('reports a file removed by another program', async () => {
    const { root, index } = await library();
    await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await unlink(at(root, 'Images/a.jpg'));

    const report = await recoverMoves(root, index);
    expect(report.problems).toEqual([expect.objectContaining({ id, code: 'file-missing' })]);
    expect(index.moves.get(id)!.state).toBe('failed');
  });

  it('decides nothing while a folder is missing (a disk may be disconnected)', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await startCopy(root, index, id, 'Dataset/x/.clipsort-00000000000000ee.tmp', bytes);
    await unlink(at(root, 'Images/a.jpg'));
    await rm(path.join(root, 'Dataset'), { recursive: true }); // its disk was unplugged

    const report = await recoverMoves(root, index);
    expect(report.problems).toEqual([expect.objectContaining({ id, code: 'folder-missing' })]);
    expect(index.moves.get(id)!.state).toBe('planned');
  });

  it('removes the empty file of an exclusive create that crashed before it was recorded', async () => {
    const { root, index } = await library();
    const bytes = await putFile(root, 'Images/a.jpg');
    const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
    await startCopy(root, index, id, 'Dataset/x/.clipsort-0000000000000011.tmp', bytes);
    index.moves.startDirectCopy(id);
    await writeFile(at(root, 'Dataset/x/a.jpg'), '');

    expect(await recoverMoves(root, index)).toEqual({ finished: 0, rolledBack: 1, problems: [] });
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(bytes));
  });
});
