import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeExclusiveLock } from '../../electron/engine/store/database.js';
import { LibraryLock, lockHolder } from '../../electron/engine/store/libraryLock.js';
import { clipSortError as busyError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';

const holderScript = path.join(import.meta.dirname, 'lockHolder.ts');

/** Starts a process that holds the lock of `root`; resolves once it does. */
async function holdInChild(root: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  child.stdout.setEncoding('utf8');
  while (!said.includes('locked')) {
    const [chunk] = (await once(child.stdout, 'data')) as [string];
    said += chunk;
  }
  return child;
}

describe('the library lock', () => {
  const tempDir = useTempDirs();
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  async function library(): Promise<string> {
    const root = await tempDir();
    await mkdir(path.join(root, '.clipsort'));
    return root;
  }

  it('names the holder that took the lock a moment ago, not an earlier one that is gone', async () => {
    const root = await library();
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    const name = (command: string, pid: number) =>
      writeFileSync(
        path.join(root, '.clipsort/lock.json'),
        JSON.stringify({ command, pid, host: os.hostname(), since: Date.now() }),
      );
    // The lock is taken, and its holder has not named itself yet: the file still names one that has ended.
    const taken = takeExclusiveLock(path.join(root, '.clipsort/lock.db'))!;
    name('clipsort sort', gone.pid!);
    setTimeout(() => name('clipsort watch', process.pid), 200);
    try {
      const error = await busyError(LibraryLock.acquire(root, 'clipsort undo'));
      expect(error.message).toContain(`in use by clipsort watch (pid ${process.pid}`);
    } finally {
      taken.close();
    }
  });

  it('refuses a second holder in the same process, naming the first, until it is released', async () => {
    const root = await library();
    const first = await LibraryLock.acquire(root, 'clipsort serve');
    const error = await busyError(LibraryLock.acquire(root, 'clipsort sort'));
    expect(error.code).toBe('library-busy');
    expect(error.message).toContain(`clipsort serve (pid ${process.pid}`);
    first.release();
    const second = await LibraryLock.acquire(root, 'clipsort sort');
    expect(lockHolder(root)).toMatchObject({ command: 'clipsort sort', pid: process.pid });
    second.release();
  });

  it('refuses while another process holds it, and takes over the lock of one that was killed', async () => {
    const root = await library();
    const child = await holdInChild(root);
    children.push(child);
    const error = await busyError(LibraryLock.acquire(root, 'clipsort undo'));
    expect(error.message).toContain(`clipsort watch (pid ${child.pid}`);

    child.kill('SIGKILL');
    await once(child, 'exit');
    // The holder's note is still there, but the lock died with its process.
    expect(lockHolder(root)?.pid).toBe(child.pid);
    const lock = await LibraryLock.acquire(root, 'clipsort undo');
    expect(lockHolder(root)).toMatchObject({ command: 'clipsort undo', pid: process.pid });
    lock.release();
  });

  it('waits for the holder when asked, telling once who it waits for', async () => {
    const root = await library();
    const first = await LibraryLock.acquire(root, 'the ClipSort desktop app');
    const waitedFor: (string | undefined)[] = [];
    const second = LibraryLock.acquire(root, 'clipsort sort', {
      wait: true,
      pollMs: 20,
      onWait: (holder) => waitedFor.push(holder?.command),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    first.release();
    const lock = await second;
    expect(waitedFor).toEqual(['the ClipSort desktop app']);
    lock.release();
  });
});
