/**
 * A class folder exchanged for a link to somewhere outside the library, again and again, while `sort` files photos
 * into it: not one photo may land outside, be lost or get two names, and the journal must say where each one is.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../../electron/engine/library/libraryPaths.js';
import { openDatabase } from '../../electron/engine/store/database.js';
import { runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { repoRoot } from '../helpers/sharedFixtures.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashMultiset, libraryPhotos, treeHashes, walk } from '../helpers/tree.js';

const exchanger = path.join(repoRoot, 'test/helpers/exchangeNames.py');
const python = spawnSync('python3', ['-c', 'import ctypes; ctypes.CDLL(None).renameat2'], {
  stdio: 'ignore',
});
const canExchange = process.platform === 'linux' && python.status === 0;
const skipNote = canExchange ? '' : ' (skipped: needs Linux and python3 with glibc renameat2)';

/** Starts exchanging `first` and `second`; resolves once it runs, to a function that stops it and says how often. */
async function exchangeUntilStopped(first: string, second: string): Promise<() => Promise<number>> {
  const child = spawn('python3', [exchanger, first, second], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  while (!output.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 10));
  return async () => {
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    return Number(output.split('\n')[1]);
  };
}

describe('a class folder swapped for a link during a sort', () => {
  const tempDir = useTempDirs();

  it(`files nothing outside the library, loses nothing and journals where each photo is${skipNote}`, async (context) => {
    if (!canExchange) return context.skip();
    const root = await tempDir();
    await makeColourLibrary(root);
    const reds = COLOURS.red!;
    for (let i = 0; (await walk(path.join(root, 'Images'))).length < 300; i++) {
      await writeColourImage(path.join(root, 'Images', `red-extra-${i}.png`), reds[i % reds.length]!, {
        seed: 2000 + i,
      });
    }
    await mkdir(path.join(root, 'Dataset/red'), { recursive: true });
    // Outside the library: a folder that must stay as it is, and the link the attacker swaps in for Dataset/red.
    const outside = await tempDir('clipsort-outside-');
    const sentinel = path.join(outside, 'sentinel');
    await mkdir(sentinel);
    await writeFile(path.join(sentinel, 'keep.jpg'), 'not to be touched');
    const link = path.join(outside, 'link');
    await symlink(sentinel, link);
    const sentinelBefore = await treeHashes(sentinel);
    const before = hashMultiset(await treeHashes(path.join(root, 'Images')));
    expect(before).toHaveLength(300);

    const stop = await exchangeUntilStopped(path.join(root, 'Dataset/red'), link);
    let report;
    try {
      report = runClipsortJson<{ sorted: { to: string }[]; errors: { error: string }[] }>([
        'sort',
        root,
        '--model-dir',
        colourModelDir,
      ]);
    } finally {
      expect(await stop()).toBeGreaterThan(20);
    }

    // Nothing written outside: the sentinel is as it was, and beside it only the link.
    expect(await treeHashes(sentinel)).toEqual(sentinelBefore);
    expect((await readdir(outside)).sort()).toEqual(['link', 'sentinel']);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    // Every photo is in the library exactly once, under one name with one link.
    const { files, hashes } = await libraryPhotos(root);
    expect(files).toHaveLength(300);
    for (const file of files) expect((await lstat(path.join(root, file))).nlink).toBe(1);
    expect(hashes).toEqual(before);
    // The journal's word is where the photo is; the photos refused say why.
    const db = openDatabase(databasePath(root));
    try {
      const done = db.prepare("SELECT destination FROM moves WHERE state = 'done'").all() as {
        destination: string;
      }[];
      expect(done.map((row) => row.destination).sort()).toEqual(
        files.filter((file) => file.startsWith('Dataset/')).sort(),
      );
    } finally {
      db.close();
    }
    expect(report.sorted.length + report.errors.length).toBeGreaterThan(0);
    for (const { error } of report.errors) expect(error).toMatch(/replaced|symbolic link/);
  }, 180_000);
});
