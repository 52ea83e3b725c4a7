/**
 * A file is taken only when nothing is writing it: no process holds it open for writing (where the system can
 * tell, see openWriters.ts), and its size, mtime and ctime have stayed the same for the quiet period. The period
 * must outlast the pauses of a copy still under way that no open descriptor betrays: a network share's writer on
 * another computer, a card reader that stalls, a program that closes and reopens the file to append. Linux
 * clients flush a share's dirty pages every 5 s (`dirty_writeback_centisecs` = 500), so a copy from another Linux
 * machine pauses for up to about 5 s between writes; the default is that, and `CLIPSORT_QUIET_MS` or the
 * `quietMs` option changes it.
 */
import type { BigIntStats } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClipSortError } from '../errors.js';
import { isSameVersion, statOrMissing } from './fileState.js';
import { forgetOpenFiles, isOpenForWriting } from './openWriters.js';

/** The quiet period unless a setting says otherwise. */
export const DEFAULT_QUIET_MS = 5_000;

/** The quiet period: `CLIPSORT_QUIET_MS` when set (milliseconds), otherwise the default. */
export function quietMsFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.CLIPSORT_QUIET_MS);
  return env.CLIPSORT_QUIET_MS !== undefined && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_QUIET_MS;
}

/** Size, mtime and ctime are the same: nothing wrote to the file or changed it in between. */
export function isQuietSince(before: BigIntStats, after: BigIntStats | undefined): boolean {
  return isSameVersion(before, after) && after!.ctimeNs === before.ctimeNs;
}

/** The error for a file something is still writing; the faces retry it. */
export function stillCopying(name: string, why: string): ClipSortError {
  return new ClipSortError(
    'file-still-copying',
    `${name} is still being copied (${why}); it was left where it is and will be tried again.`,
  );
}

/**
 * Resolves once the file at `file` (now `stats`) is quiet: waits out what is left of the quiet period since its
 * last change (its ctime, by our clock), then checks that it did not change meanwhile and that no process holds
 * it open for writing. Throws `file-still-copying` otherwise. Resolves to the stats it ends with.
 */
export async function waitUntilQuiet(
  file: string,
  stats: BigIntStats,
  name: string,
  quietMs: number,
): Promise<BigIntStats> {
  const sinceChange = Date.now() - Number(stats.ctimeNs / 1_000_000n);
  // A ctime in the future (a share whose clock runs ahead) counts as "just changed".
  const left = sinceChange < 0 ? quietMs : quietMs - sinceChange;
  let now = stats;
  if (left > 0) {
    await sleep(left);
    const after = await statOrMissing(file);
    if (!isQuietSince(stats, after)) throw stillCopying(name, 'it changed within the last moments');
    now = after!;
    forgetOpenFiles();
  }
  if (await isOpenForWriting(now)) throw stillCopying(name, 'a program has it open for writing');
  return now;
}
