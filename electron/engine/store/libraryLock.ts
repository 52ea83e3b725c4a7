/**
 * One ClipSort at a time may move a library's files. Every process that moves files (sorting, watching, undo,
 * assign, the server, the desktop app) holds `.clipsort/lock.db` exclusively while it works; `lock.json` beside it
 * names the holder for the message a second process shows. The lock is the operating system's, so a holder that
 * was killed releases it with its process and the next one simply takes it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClipSortError } from '../errors.js';
import { stateDir } from '../library/libraryPaths.js';
import { takeExclusiveLock, type Db } from './database.js';
import { assertOwnState } from './stateFolder.js';

/** Who holds a library. */
export interface LockHolder {
  /** What it is doing, e.g. `clipsort watch` or `desktop app`. */
  command: string;
  pid: number;
  host: string;
  /** When it took the lock (ms since the epoch). */
  since: number;
}

export interface LockOptions {
  /** Wait for the holder to finish instead of failing at once; polled every `pollMs` (500 unless set). */
  wait?: boolean;
  pollMs?: number;
  /** Told once, when the lock is held by another and we wait. */
  onWait?: (holder: LockHolder | undefined) => void;
  signal?: AbortSignal;
}

const lockFile = (root: string) => path.join(stateDir(root), 'lock.db');
const holderFile = (root: string) => path.join(stateDir(root), 'lock.json');

/** Who holds the library now, as its holder wrote it; `undefined` when unknown. */
export function lockHolder(root: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(holderFile(root), 'utf8')) as Partial<LockHolder>;
    if (typeof holder.command !== 'string' || typeof holder.pid !== 'number') return undefined;
    return {
      command: holder.command,
      pid: holder.pid,
      host: String(holder.host),
      since: Number(holder.since),
    };
  } catch {
    return undefined;
  }
}

/** The holder in words: `clipsort watch (pid 4242 on nas, since 2026-12-03 10:15:00)`. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another ClipSort';
  const since = new Date(holder.since).toISOString().replace('T', ' ').slice(0, 19);
  return `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${since} UTC)`;
}

/** Whether the holder's process still runs (one on another computer is taken to). */
function isRunning(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Who holds a lock just found taken. A holder names itself right after taking the lock, so a lock taken a
 * moment ago may still show the name of an earlier holder, or none: it gets three seconds to name itself (one
 * was too short for a holder starved of the CPU on a loaded 2-core machine).
 */
async function currentHolder(root: string): Promise<LockHolder | undefined> {
  for (let waited = 0; waited < 3000; waited += 50) {
    const holder = lockHolder(root);
    if (holder && isRunning(holder)) return holder;
    await sleep(50);
  }
  return lockHolder(root);
}

function busy(root: string, holder: LockHolder | undefined): ClipSortError {
  return new ClipSortError(
    'library-busy',
    `${root} is in use by ${describeHolder(holder)}; only one ClipSort at a time may sort or move its files. ` +
      'Stop it, or wait for it to finish (--wait).',
  );
}

/** The lock on one library, held until `release`. */
export class LibraryLock {
  private constructor(
    private db: Db | undefined,
    readonly holder: LockHolder,
  ) {}

  /** Takes the lock of the library at `root` for `command`; fails with `library-busy` naming the holder. */
  static async acquire(root: string, command: string, options: LockOptions = {}): Promise<LibraryLock> {
    assertOwnState(root);
    let told = false;
    for (;;) {
      const db = takeExclusiveLock(lockFile(root));
      if (db) {
        const holder = { command, pid: process.pid, host: os.hostname(), since: Date.now() };
        // Written after the lock is ours, through a temporary name so that a reader never sees half of it.
        const temporary = `${holderFile(root)}.${randomBytes(4).toString('hex')}.tmp`;
        writeFileSync(temporary, JSON.stringify(holder));
        renameSync(temporary, holderFile(root));
        return new LibraryLock(db, holder);
      }
      const holder = await currentHolder(root);
      if (!options.wait) throw busy(root, holder);
      if (!told) options.onWait?.(holder);
      told = true;
      await sleep(options.pollMs ?? 500, undefined, { signal: options.signal });
    }
  }

  /** Lets another ClipSort take the library. */
  release(): void {
    this.db?.close();
    this.db = undefined;
  }
}
