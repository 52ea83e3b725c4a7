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

/** Removes `file`, retrying while it is locked; resolves to false when it was already gone. */
export async function unlinkPatiently(file: string, retry: BusyRetry = DEFAULT_BUSY_RETRY): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') return false;
      if (!LOCKED.has(code) || attempt >= retry.tries) throw error;
      await sleep(retry.delayMs * 2 ** (attempt - 1));
    }
  }
}
