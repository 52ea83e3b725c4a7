import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { cliPath, runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashMultiset, libraryPhotos, treeHashes, walk } from '../helpers/tree.js';
import { waitFor } from '../watch/libraryHarness.js';

interface Watcher {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function startWatch(root: string): Watcher {
  const child = spawn(process.execPath, [cliPath, 'watch', root, '--model-dir', colourModelDir, '--json'], {
    env: { ...process.env, CLIPSORT_MODEL_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watcher: Watcher = {
    child,
    stdout: '',
    stderr: '',
    exit: once(child, 'exit').then(([code]) => code as number | null),
  };
  child.stdout.on('data', (chunk: Buffer) => (watcher.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (watcher.stderr += chunk.toString()));
  return watcher;
}

describe('two ClipSorts on one library', () => {
  const tempDir = useTempDirs();

  it('lets one watcher sort 200 photos while the other says who holds the library and exits', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const shades = Object.values(COLOURS).flat();
    for (let i = 0; (await walk(path.join(root, 'Images'))).length < 200; i++) {
      await writeColourImage(path.join(root, 'Images', `extra-${i}.png`), shades[i % shades.length]!, {
        seed: 1000 + i,
      });
    }
    const before = hashMultiset(await treeHashes(path.join(root, 'Images')));
    expect(before).toHaveLength(200);

    const watchers = [startWatch(root), startWatch(root)];
    const loser = await Promise.race(watchers.map((w) => w.exit.then(() => w)));
    const winner = watchers.find((w) => w !== loser)!;
    expect(await loser.exit).not.toBe(0);
    expect(loser.stderr).toContain(`in use by clipsort watch (pid ${winner.child.pid}`);
    expect(loser.stdout).toBe('');

    const outcomes = () =>
      winner.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { kind: string })
        .filter((event) => event.kind !== 'watching');
    await waitFor(() => outcomes().length >= 200, 'the winner to sort all 200', 90_000);
    winner.child.kill('SIGINT');
    expect(await winner.exit).toBe(0);
    const sorted = outcomes().filter((event) => event.kind === 'sorted').length;
    expect(sorted).toBeGreaterThan(100);

    // Every photo under exactly one name: in Dataset when sorted, in Images when it waits for review.
    const { files, hashes } = await libraryPhotos(root);
    expect(files).toHaveLength(200);
    expect((await walk(path.join(root, 'Dataset'))).length).toBe(sorted);
    for (const file of files) expect((await lstat(path.join(root, file))).nlink).toBe(1);
    expect(hashes).toEqual(before);

    // Undo brings back exactly the ones sorted, no duplicate among them.
    const undo = runClipsortJson<{ restored: unknown[] }>(['undo', root, '--all']);
    expect(undo.restored).toHaveLength(sorted);
    expect(hashMultiset(await treeHashes(path.join(root, 'Images')))).toEqual(before);
    expect((await treeHashes(path.join(root, 'Dataset'))).size).toBe(0);
  }, 120_000);

  it('refuses sort, undo and assign while clipsort serve holds the library, but answers status', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const api = await ApiService.open(root, { model: { modelDir: colourModelDir } });
    try {
      for (const args of [
        ['sort', root, '--model-dir', colourModelDir],
        ['undo', root],
        ['assign', root, 'Images/red-0.jpg', 'red'],
      ]) {
        const result = runClipsort(args);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(`in use by clipsort serve (pid ${process.pid}`);
      }
      const before = await treeHashes(root);
      const status = runClipsortJson<{ inbox: number }>(['status', root]);
      expect(status.inbox).toBeGreaterThan(0);
      expect(await treeHashes(path.join(root, 'Images'))).toEqual(
        new Map([...before].filter(([file]) => file.startsWith('Images/')).map(([f, h]) => [f.slice(7), h])),
      );
    } finally {
      await api.close();
    }
    // Once it is closed, the library is free again.
    expect(runClipsort(['undo', root]).code).toBe(0);
  });
});
