import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { isMissingError } from '../errors.js';
import { STATE_FOLDER } from './libraryPaths.js';

/**
 * The folder, from `folder` up to (not including) `top`, that holds a `.clipsort` entry: another library, whose
 * files are its own. `undefined` when there is none, or when `folder` is not below `top`. Absolute paths.
 */
export async function enclosingLibrary(top: string, folder: string): Promise<string | undefined> {
  const relative = path.relative(top, folder);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  let current = top;
  for (const segment of relative.split(path.sep)) {
    current = path.join(current, segment);
    try {
      await lstat(path.join(current, STATE_FOLDER));
      return current;
    } catch (error) {
      // Not knowing (a folder that cannot be searched) is no sign of a library; reading the file will fail anyway.
      if (!isMissingError(error)) return undefined;
    }
  }
  return undefined;
}
