/**
 * An editor or a sync client saves by writing a new version to a temporary name and renaming it over the photo.
 * When that lands between the mover's last look at the source and its removal, the newer version must survive.
 */
import fs, { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moveFile } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { undoMoves } from '../../electron/engine/move/undoMoves.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashMultiset, treeHashes } from '../helpers/tree.js';
import { acrossDevices, acrossDevicesNote, useFarDirs } from './farDevice.js';
import { isSameName, putFile, sha256, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
const farDir = useFarDirs();
afterEach(() => vi.restoreAllMocks());

/**
 * Saves `newer` over `file` by atomic rename the moment the mover first touches `file` to take it away (a rename
 * or an unlink of that name), as a racing editor would.
 */
function resaveWhenTaken(file: string, newer: Buffer): void {
  const rename = fs.rename.bind(fs);
  const unlink = fs.unlink.bind(fs);
  let saved = false;
  const save = async () => {
    if (saved) return;
    saved = true;
    const temporary = path.join(path.dirname(file), '.editor-save.tmp');
    await writeFile(temporary, newer);
    await rename(temporary, file);
  };
  vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
    if (await isSameName(from, file)) await save();
    return rename(from, to);
  });
  vi.spyOn(fs, 'unlink').mockImplementation(async (name) => {
    if (await isSameName(name, file)) await save();
    return unlink(name);
  });
}

describe('a photo saved again while it is being moved', () => {
  it('keeps the newer version under its name when the source is removed (same disk)', async () => {
    const { root, index } = await library();
    const older = await putFile(root, 'Images/a.jpg');
    const newer = Buffer.concat([older, Buffer.from('edited')]);
    resaveWhenTaken(path.join(root, 'Images/a.jpg'), newer);

    // The older version, already linked into Dataset/x, is filed; the newer one stays where the editor saved it.
    const moved = await moveFile(root, index, {
      from: 'Images/a.jpg',
      toFolder: 'Dataset/x',
      kind: 'sort',
      batch: newBatchId(),
    });
    expect(moved.to).toBe('Dataset/x/a.jpg');
    expect(await readFile(path.join(root, 'Dataset/x/a.jpg'))).toEqual(older);
    expect(await readFile(path.join(root, 'Images/a.jpg'))).toEqual(newer);
    const all = await treeHashes(root);
    const photos = [...all].filter(([name]) => !name.startsWith('.clipsort/')).map(([, hash]) => hash);
    expect(photos.sort()).toEqual([sha256(older), sha256(newer)].sort());
    expect((await walk(path.join(root, 'Images'))).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it(`keeps the newer version when the source is removed after a copy to another disk${acrossDevicesNote}`, async (context) => {
    if (!acrossDevices) return context.skip();
    const { root, index } = await library();
    const far = await farDir();
    await fs.rm(path.join(root, 'Dataset'), { recursive: true, force: true });
    await fs.symlink(far, path.join(root, 'Dataset'));
    const older = await putFile(root, 'Images/a.jpg');
    const newer = Buffer.concat([older, Buffer.from('edited')]);
    resaveWhenTaken(path.join(root, 'Images/a.jpg'), newer);

    await moveFile(root, index, {
      from: 'Images/a.jpg',
      toFolder: 'Dataset/x',
      kind: 'sort',
      batch: newBatchId(),
    }).catch(() => undefined);
    expect(await readFile(path.join(root, 'Images/a.jpg'))).toEqual(newer);
    const everything = [
      ...hashMultiset(await treeHashes(path.join(root, 'Images'))),
      ...hashMultiset(await treeHashes(far)),
    ].sort();
    // The copy of the older version is either kept or rolled back; the newer version is never lost.
    expect(everything).toContain(sha256(newer));
    expect(everything.filter((hash) => hash === sha256(newer))).toHaveLength(1);
  });

  it('keeps the newer version when an undo puts a photo back', async () => {
    const { root, index } = await library();
    const older = await putFile(root, 'Images/a.jpg');
    await moveFile(root, index, {
      from: 'Images/a.jpg',
      toFolder: 'Dataset/x',
      kind: 'sort',
      batch: newBatchId(),
    });
    const newer = Buffer.concat([older, Buffer.from('edited in Dataset')]);
    await mkdir(path.join(root, 'Dataset/x'), { recursive: true });
    resaveWhenTaken(path.join(root, 'Dataset/x/a.jpg'), newer);

    const report = await undoMoves(root, index);
    expect(report.restored.map((result) => result.to)).toEqual(['Images/a.jpg']);
    expect(await readFile(path.join(root, 'Images/a.jpg'))).toEqual(older);
    expect(await readFile(path.join(root, 'Dataset/x/a.jpg'))).toEqual(newer);
    expect((await walk(path.join(root, 'Dataset'))).filter((name) => name.includes('.clipsort-'))).toEqual(
      [],
    );
  });
});
