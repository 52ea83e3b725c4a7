import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashMultiset, treeHashes } from '../helpers/tree.js';

const BURST = 2000;

/** Resolves when `predicate` holds for the lines printed so far, or rejects after `ms`. */
function waitForLines(lines: string[], predicate: (lines: string[]) => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate(lines)) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`timed out with ${lines.length} lines`));
      }
    }, 50);
  });
}

describe('clipsort watch', () => {
  const tempDir = useTempDirs();

  it(`sorts a burst of ${BURST} images dropped within seconds, losing and duplicating nothing`, async () => {
    const root = await tempDir();
    const staging = await tempDir();
    const colours = Object.entries(COLOURS);
    for (const [name, shades] of colours) {
      await writeColourImage(path.join(root, 'Classes', name, 'ref.png'), shades[0]!, { seed: 7 });
    }
    await mkdir(path.join(root, 'Images'));
    await mkdir(path.join(root, 'Dataset'));
    const names: string[] = [];
    for (let i = 0; i < BURST; i++) {
      const [, shades] = colours[i % colours.length]!;
      const name = `burst-${i}.png`;
      await writeColourImage(path.join(staging, name), shades[i % shades.length]!, {
        width: 32,
        height: 24,
        seed: 100 + i,
      });
      names.push(name);
    }
    const before = await treeHashes(staging);

    const child = spawn(
      process.execPath,
      [cliPath, 'watch', root, '--model-dir', colourModelDir, '--mode', 'text', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitForLines(lines, (l) => l.some((line) => line.includes('"watching"')), 30_000);
      for (const name of names) await copyFile(path.join(staging, name), path.join(root, 'Images', name));
      await waitForLines(lines, (l) => l.length >= BURST + 1, 240_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');

    const events = lines.slice(1).map((line) => JSON.parse(line) as { kind: string; file: string });
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
    expect(new Set(events.map((e) => e.file)).size).toBe(BURST);
    const after = new Map([
      ...(await treeHashes(path.join(root, 'Dataset'))),
      ...[...(await treeHashes(path.join(root, 'Images')))].map(([k, v]) => [`Images/${k}`, v] as const),
    ]);
    expect(hashMultiset(after)).toEqual(hashMultiset(before));
    expect([...after.keys()].filter((file) => path.basename(file).startsWith('.'))).toEqual([]);
  }, 300_000);
});
