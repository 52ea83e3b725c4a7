/**
 * The library's own state (`.clipsort/`, its database and lock) must be the library's: a `.clipsort` or a
 * `library.db` that is a symbolic link leading out of the library would have ClipSort write its journal, and
 * take its lock, somewhere else — another library's, or a file that is not ours at all.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { stateDir } from '../library/libraryPaths.js';
import { isWithin } from '../library/safePaths.js';

const STATE_FILES = ['library.db', 'library.db-wal', 'library.db-shm', 'lock.db', 'lock.json'];

/** Refuses (`state-outside-library`) a state folder or state file that is a link leading out of the library. */
export function assertOwnState(root: string): void {
  const library = realpathSync(root);
  const names = [stateDir(root), ...STATE_FILES.map((name) => path.join(stateDir(root), name))];
  for (const name of names) {
    let isLink;
    try {
      isLink = lstatSync(name).isSymbolicLink();
    } catch {
      continue; // not there yet: ClipSort creates it, inside the library
    }
    if (!isLink) continue;
    let target: string | undefined;
    try {
      target = realpathSync(name);
    } catch {
      target = undefined;
    }
    if (target === undefined || !isWithin(library, target)) {
      throw new ClipSortError(
        'state-outside-library',
        `${name} is a symbolic link that leads ${target ? `to ${target}, ` : 'nowhere, '}outside the library; ` +
          'ClipSort keeps its index only inside the library. Replace the link with the folder or file it names.',
      );
    }
  }
}
