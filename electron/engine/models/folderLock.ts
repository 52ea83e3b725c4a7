/**
 * A lock file that keeps two ClipSort processes from downloading into the same model folder at once (their
 * partial files would interleave). A lock left by a process that died is taken over.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';

export const LOCK_FILE = '.clipsort.lock';

/** Takes the lock on `dir`; resolves to the function that releases it. */
export async function lockFolder(dir: string, what: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    const known = Number.isInteger(owner) && owner > 0;
    // A lock without a pid is being written right now, unless it is old.
    const fresh = !known && Date.now() - (await stat(file).catch(() => ({ mtimeMs: 0 }))).mtimeMs < 10_000;
    if ((known && owner !== process.pid && isAlive(owner)) || fresh) {
      throw new ClipSortError(
        'model-busy',
        `Another ClipSort process${known ? ` (pid ${owner})` : ''} is working on ${what}; wait for it to finish and try again.`,
      );
    }
    await rm(file, { force: true }); // left by a process that is gone
  }
  throw new ClipSortError('model-busy', `Could not lock ${dir}; try again.`);
}

/** True when a process with this id runs (or exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
