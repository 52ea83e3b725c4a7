/**
 * What the safety checks of a move cost: a move through the journal (held folders, sha256, the open-writer look,
 * removal by identity) against a bare link + unlink of the same files, and one look at every open file of every
 * process (/proc), with the processes of this machine and with 200 more.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileMover } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { forgetOpenFiles, isOpenForWriting } from '../../electron/engine/move/openWriters.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';

const FILES = 400;
const fmt = (x: number, digits = 2) => x.toFixed(digits);

async function inbox(root: string, folder: string): Promise<string[]> {
  await mkdir(path.join(root, folder), { recursive: true });
  const names = Array.from({ length: FILES }, (_, i) => `photo-${i}.jpg`);
  for (const name of names) await writeFile(path.join(root, folder, name), randomBytes(200_000));
  return names;
}

/** Milliseconds per look at every open file, over `runs` fresh looks. */
async function lookMs(file: string, runs: number): Promise<number> {
  const stats = await lstat(file, { bigint: true });
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    forgetOpenFiles();
    await isOpenForWriting(stats);
  }
  return (performance.now() - started) / runs;
}

async function openDescriptors(): Promise<number> {
  let count = 0;
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    count += (await readdir(`/proc/${pid}/fd`).catch(() => [])).length;
  }
  return count;
}

export async function benchMoveSafety(row: (name: string, value: string) => void): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'clipsort-bench-moves-'));
  try {
    const bare = await inbox(root, 'bare');
    await mkdir(path.join(root, 'bare-out'));
    let started = performance.now();
    for (const name of bare) {
      await link(path.join(root, 'bare', name), path.join(root, 'bare-out', name));
      await unlink(path.join(root, 'bare', name));
    }
    const bareMs = (performance.now() - started) / FILES;

    const names = await inbox(root, 'Images');
    const index = LibraryIndex.open(root);
    const mover = new FileMover(root, index, { quietMs: 0 });
    const batch = newBatchId();
    started = performance.now();
    for (const name of names)
      await mover.move({ from: `Images/${name}`, toFolder: 'Dataset/x', kind: 'sort', batch });
    const moveMs = (performance.now() - started) / FILES;
    index.close();
    row(
      `move of a 200 kB photo, one disk (${FILES} in a row)`,
      `${fmt(moveMs)} ms = ${fmt(moveMs / bareMs, 1)} × a bare link + unlink (${fmt(bareMs, 3)} ms)`,
    );

    if (process.platform !== 'linux') return;
    const file = path.join(root, 'Dataset/x', names[0]!);
    const own = await lookMs(file, 20);
    row(`open-writer look, ${await openDescriptors()} descriptors open`, `${fmt(own)} ms`);
    const sleepers = Array.from({ length: 200 }, () => spawn('sleep', ['60'], { stdio: 'ignore' }));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const crowded = await lookMs(file, 20);
      row(
        `open-writer look, 200 more processes (${await openDescriptors()} descriptors)`,
        `${fmt(crowded)} ms`,
      );
    } finally {
      for (const sleeper of sleepers) sleeper.kill();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
