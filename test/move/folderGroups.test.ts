import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FolderGroups } from '../../electron/engine/move/folderGroups.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** Longer than a folder timestamp's tick (up to 10 ms on Linux), so that a change shows in the folder's version. */
const TICK_MS = 50;

async function files(dir: string, names: string[]) {
  for (const name of names) await fs.writeFile(path.join(dir, name), name);
}

describe('FolderGroups', () => {
  const tempDir = useTempDirs();
  afterEach(() => vi.restoreAllMocks());

  it('lists an inbox once while only its own moves change it', async () => {
    const dir = await tempDir();
    await files(dir, ['a.jpg', 'a.mov', 'b.jpg', 'b.mov', 'c.jpg']);
    const groups = new FolderGroups();
    const readdir = vi.spyOn(fs, 'readdir');
    expect(await groups.companionsOf(dir, 'a.jpg')).toEqual(['a.mov']);
    for (const moved of [['a.jpg', 'a.mov'], ['c.jpg']]) {
      await sleep(TICK_MS);
      const before = await groups.versionOf(dir);
      for (const name of moved) await fs.unlink(path.join(dir, name));
      await groups.removed(dir, moved, before);
    }
    expect(await groups.companionsOf(dir, 'b.jpg')).toEqual(['b.mov']);
    expect(readdir).toHaveBeenCalledTimes(1);
  });

  it('sees a Live Photo that arrived while a move waited, once that move has removed its file', async () => {
    const dir = await tempDir();
    await files(dir, ['a.jpg', 'b.jpg']);
    const groups = new FolderGroups();
    expect(await groups.companionsOf(dir, 'a.jpg')).toEqual([]);
    // The move of a.jpg waits out its quiet period; meanwhile a photo and its video are copied in.
    await sleep(TICK_MS);
    await files(dir, ['IMG_0001.HEIC', 'IMG_0001.MOV']);
    const before = await groups.versionOf(dir);
    await fs.unlink(path.join(dir, 'a.jpg'));
    await groups.removed(dir, ['a.jpg'], before);
    expect(await groups.companionsOf(dir, 'IMG_0001.HEIC')).toEqual(['IMG_0001.MOV']);
  });
});
