/** Recovery after a stop while a move's source had its private name (see removeByIdentity.ts). */
import { link, lstat, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashAt, planMove, putFile, sha256, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
const PARKED = 'Images/.clipsort-0123456789abcdef.leaving.tmp';

/** A link move stopped right after the source was renamed to its private name; `replace` parks another file. */
async function stoppedWhileParked(replace: boolean) {
  const { root, index } = await library();
  const bytes = await putFile(root, 'Images/a.jpg');
  const at = (relative: string) => resolveLibraryPath(root, relative);
  const id = await planMove(root, index, 'Images/a.jpg', 'Dataset/x/a.jpg');
  await link(at('Images/a.jpg'), at('Dataset/x/a.jpg'));
  index.moves.setParked(id, PARKED);
  const newer = Buffer.from('a newer version saved by an editor');
  if (replace) {
    await writeFile(at('Images/.editor.tmp'), newer);
    await rename(at('Images/.editor.tmp'), at('Images/a.jpg'));
  }
  await rename(at('Images/a.jpg'), at(PARKED));
  return { root, index, id, bytes, newer };
}

describe('recovering a move stopped while its source had a private name', () => {
  it('finishes the move when the parked file is the one moved', async () => {
    const { root, index, id, bytes } = await stoppedWhileParked(false);
    expect(await recoverMoves(root, index)).toEqual({ finished: 1, rolledBack: 0, problems: [] });
    expect(index.moves.get(id)!.state).toBe('done');
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
    expect((await lstat(resolveLibraryPath(root, 'Dataset/x/a.jpg'))).nlink).toBe(1);
  });

  it('puts back under its name a newer version that was parked instead, and keeps the moved one', async () => {
    const { root, index, id, bytes, newer } = await stoppedWhileParked(true);
    await recoverMoves(root, index);
    expect(index.moves.get(id)!.state).toBe('done');
    expect(await walk(path.join(root, 'Images'))).toEqual(['a.jpg']);
    expect(await hashAt(root, 'Images/a.jpg')).toBe(sha256(newer));
    expect(await hashAt(root, 'Dataset/x/a.jpg')).toBe(sha256(bytes));
  });
});
