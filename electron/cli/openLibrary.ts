import path from 'node:path';
import { assertLibrary } from '../engine/classify/classifyLibrary.js';
import { recoverMoves } from '../engine/move/recoverMoves.js';
import { LibraryIndex } from '../engine/store/libraryIndex.js';
import { warn } from './output.js';

/**
 * Opens a library's index for `work` and closes it afterwards, whatever happens. Moves a crash interrupted are
 * finished or rolled back first; any that need a person are reported on stderr.
 */
export async function withLibrary<T>(
  library: string,
  work: (root: string, index: LibraryIndex) => Promise<T> | T,
): Promise<T> {
  const root = path.resolve(library);
  await assertLibrary(root);
  const index = LibraryIndex.open(root);
  try {
    const { problems } = await recoverMoves(root, index);
    for (const problem of problems) warn(problem.message);
    return await work(root, index);
  } finally {
    index.close();
  }
}
