import path from 'node:path';
import { assertLibrary } from '../engine/classify/classifyLibrary.js';
import { recoverMoves } from '../engine/move/recoverMoves.js';
import { LibraryIndex } from '../engine/store/libraryIndex.js';
import { LibraryLock, describeHolder } from '../engine/store/libraryLock.js';
import { warn } from './output.js';

/** A command that moves files holds the library's lock for `command`; `wait` waits for another holder. */
export interface LibraryAccess {
  moves?: { command: string; wait?: boolean };
}

/**
 * Opens a library's index for `work` and closes it afterwards, whatever happens. A command that moves files takes
 * the library's lock first (one ClipSort at a time). Moves a crash interrupted are finished or rolled back while
 * the lock is ours; a read-only command leaves them to the ClipSort that holds the library, if one does. Moves
 * that need a person are reported on stderr.
 */
export async function withLibrary<T>(
  library: string,
  work: (root: string, index: LibraryIndex) => Promise<T> | T,
  access: LibraryAccess = {},
): Promise<T> {
  const root = path.resolve(library);
  await assertLibrary(root);
  const lock = await lockFor(root, access);
  try {
    const index = LibraryIndex.open(root);
    try {
      if (lock) {
        const { problems } = await recoverMoves(root, index);
        for (const problem of problems) warn(problem.message);
        if (!access.moves) lock.release();
      }
      return await work(root, index);
    } finally {
      index.close();
    }
  } finally {
    lock?.release();
  }
}

/** The lock a command needs: always for one that moves files; for a read-only one, only if it is free. */
async function lockFor(root: string, access: LibraryAccess): Promise<LibraryLock | undefined> {
  if (access.moves) {
    return LibraryLock.acquire(root, access.moves.command, {
      wait: access.moves.wait,
      onWait: (holder) => warn(`Waiting for ${describeHolder(holder)} to finish with ${root}…`),
    });
  }
  try {
    return await LibraryLock.acquire(root, 'clipsort (recovery)');
  } catch {
    return undefined;
  }
}
