import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lstatAll } from '../../electron/engine/library/fileStats.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('lstatAll', () => {
  const tempDir = useTempDirs();

  it('stats many files in their order, links as links, with nothing for those that are gone', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'folder'));
    // More files than are stat'ed at once, of sizes that tell them apart.
    const files = Array.from({ length: 300 }, (_, i) => path.join(root, 'folder', `${i}.jpg`));
    await Promise.all(files.map((file, i) => writeFile(file, Buffer.alloc(i + 1))));
    await symlink(files[0]!, path.join(root, 'link.jpg'));
    const asked = [...files, path.join(root, 'gone.jpg'), path.join(root, 'link.jpg')];
    const stats = await lstatAll(asked);
    expect(stats).toHaveLength(asked.length);
    expect(stats.slice(0, files.length).map((s) => s?.size)).toEqual(files.map((_, i) => i + 1));
    expect(stats[files.length]).toBeUndefined();
    expect(stats[files.length + 1]!.isSymbolicLink()).toBe(true);
    expect(await lstatAll([])).toEqual([]);
  });
});
