/**
 * Whether some process has a file open for writing, where the operating system lets us see it. On Linux every
 * process's open files are under /proc/<pid>/fd, with their open flags in /proc/<pid>/fdinfo: a copier that has
 * stalled mid-file still holds its descriptor open for writing. This sees the processes of our own user (all of
 * them when run as root) in our PID namespace; a writer on another computer (a network share) or in another
 * container is invisible, and so is every writer on macOS and Windows: there the quiet period alone decides (see
 * quietFile.ts).
 */
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import { fileKey } from './fileState.js';

/** How long one look at every open file serves (moves made together share it). */
const SNAPSHOT_MS = 250;

/** O_WRONLY | O_RDWR, the access mode bits of the open flags. */
const WRITE_ACCESS = 0o3;

type Snapshot = Map<string, string[]>;

let cached: { at: number; snapshot: Promise<Snapshot | undefined> } | undefined;

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return []; // a process that ended, or one we may not look into
  }
}

/** Every open file of every visible process, as `dev:ino` → the `<pid>/<fd>` that have it. */
async function takeSnapshot(): Promise<Snapshot | undefined> {
  if (process.platform !== 'linux') return undefined;
  const pids = (await listOrEmpty('/proc')).filter((name) => /^\d+$/.test(name));
  if (pids.length === 0) return undefined;
  const snapshot: Snapshot = new Map();
  await Promise.all(
    pids.map(async (pid) => {
      for (const fd of await listOrEmpty(`/proc/${pid}/fd`)) {
        const stats = await fs.stat(`/proc/${pid}/fd/${fd}`, { bigint: true }).catch(() => undefined);
        if (!stats?.isFile()) continue;
        const infos = snapshot.get(fileKey(stats)) ?? [];
        infos.push(`${pid}/${fd}`);
        snapshot.set(fileKey(stats), infos);
      }
    }),
  );
  return snapshot;
}

/**
 * True when a process has the file `stats` describes open for writing, false when none has, `undefined` when this
 * system cannot tell.
 */
export async function isOpenForWriting(stats: BigIntStats): Promise<boolean | undefined> {
  const now = Date.now();
  if (!cached || now - cached.at > SNAPSHOT_MS) cached = { at: now, snapshot: takeSnapshot() };
  const snapshot = await cached.snapshot;
  if (!snapshot) return undefined;
  for (const descriptor of snapshot.get(fileKey(stats)) ?? []) {
    // The look may be a moment old and an inode number is reused once its file is gone: ask this descriptor again.
    const now = await fs
      .stat(`/proc/${descriptor.replace('/', '/fd/')}`, { bigint: true })
      .catch(() => undefined);
    if (!now || fileKey(now) !== fileKey(stats)) continue;
    const text = await fs.readFile(`/proc/${descriptor.replace('/', '/fdinfo/')}`, 'utf8').catch(() => '');
    const flags = /^flags:\s*([0-7]+)/m.exec(text);
    if (flags && (parseInt(flags[1]!, 8) & WRITE_ACCESS) !== 0) return true;
  }
  return false;
}

/** Forgets the last look, so that the next question looks again (after waiting for a file to settle). */
export function forgetOpenFiles(): void {
  cached = undefined;
}
