/**
 * Removing a name while another program may hold the file open. On Windows antivirus scanners, indexers and sync
 * clients lock files for moments at a time, and removing a locked file fails with EBUSY or EPERM; trying again a
 * little later usually works.
 */
import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long to keep trying: `tries` attempts, waiting `delayMs`, then twice that, and so on, between them. */
export interface BusyRetry {
  tries: number;
  delayMs: number;
}

/** Five tries over about 1.5 s. */
export const DEFAULT_BUSY_RETRY: BusyRetry = { tries: 5, delayMs: 100 };

const LOCKED = new Set(['EBUSY', 'EPERM', 'EACCES']);

/** Runs `operation`, trying again while the file is locked. */
async function whileLocked(operation: () => Promise<void>, retry: BusyRetry): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!LOCKED.has(code) || attempt >= retry.tries) throw error;
      await sleep(retry.delayMs * 2 ** (attempt - 1));
    }
  }
}

/** Removes `file`, retrying while it is locked; resolves to false when it was already gone. */
export async function unlinkPatiently(file: string, retry: BusyRetry = DEFAULT_BUSY_RETRY): Promise<boolean> {
  try {
    await whileLocked(() => fs.unlink(file), retry);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Renames `from` to `to`, retrying while it is locked (Windows refuses to rename a file another program holds). */
export async function renamePatiently(
  from: string,
  to: string,
  retry: BusyRetry = DEFAULT_BUSY_RETRY,
): Promise<void> {
  await whileLocked(() => fs.rename(from, to), retry);
}
