import fs, { link, readdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { FileMover, moveFile } from '../../electron/engine/move/fileMover.js';
import { recoverMoves } from '../../electron/engine/move/recoverMoves.js';
import { undoMoves } from '../../electron/engine/move/undoMoves.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import type { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { clipSortError } from '../helpers/errors.js';
import { treeHashes } from '../helpers/tree.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { contentMultiset, planMove, putFile, useLibraries, walk } from './moveLibrary.js';

const tempDir = useTempDirs();
const library = useLibraries(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

const at = resolveLibraryPath;
const LIVE_PHOTO = ['IMG_0007.HEIC', 'img_0007.MOV', 'IMG_0007.AAE', 'IMG_0007.HEIC.xmp'];

/** A library whose inbox holds a Live Photo with its edit file and sidecar, and a photo of its own. */
async function livePhotoLibrary() {
  const lib = await library();
  for (const name of [...LIVE_PHOTO, 'other.jpg']) await putFile(lib.root, `Images/${name}`);
  return { ...lib, before: await treeHashes(path.join(lib.root, 'Images')) };
}

const sort = (from: string) => ({
  from,
  toFolder: 'Dataset/phone',
  kind: 'sort' as const,
  batch: newBatchId(),
});

describe('moving a group', () => {
  it('moves the photo, its video, its edit file and its sidecar as one group of journal rows', async () => {
    const { root, index, before } = await livePhotoLibrary();
    const result = await moveFile(root, index, sort('Images/IMG_0007.HEIC'));

    expect(result.to).toBe('Dataset/phone/IMG_0007.HEIC');
    expect(result.companions.map((moved) => moved.to).sort()).toEqual(
      ['IMG_0007.AAE', 'IMG_0007.HEIC.xmp', 'img_0007.MOV'].map((name) => `Dataset/phone/${name}`),
    );
    expect(await walk(path.join(root, 'Images'))).toEqual(['other.jpg']);
    const moved = await treeHashes(path.join(root, 'Dataset/phone'));
    for (const name of LIVE_PHOTO) expect(moved.get(name)).toBe(before.get(name));
    const rows = index.moves.group(index.moves.get(result.id!)!.group!);
    expect(rows.map((row) => [row.source, row.state])).toEqual(
      LIVE_PHOTO.map((name) => [`Images/${name}`, 'done']),
    );
  });

  it('moves the whole group when any member is asked for, and moves a photo with no group alone', async () => {
    const { root, index } = await livePhotoLibrary();
    const result = await moveFile(root, index, sort('Images/img_0007.MOV'));
    expect(result.companions).toHaveLength(3);
    const alone = await moveFile(root, index, sort('Images/other.jpg'));
    expect(alone.companions).toEqual([]);
    expect(index.moves.get(alone.id!)!.group).toBeNull();
    expect(await walk(path.join(root, 'Images'))).toEqual([]);
  });

  it('numbers every member alike when a name is taken in the destination', async () => {
    const { root, index } = await livePhotoLibrary();
    await putFile(root, 'Dataset/phone/img_0007.aae');
    await putFile(root, 'Dataset/phone/IMG_0007 (2).mov');
    const result = await moveFile(root, index, sort('Images/IMG_0007.HEIC'));
    expect(result.to).toBe('Dataset/phone/IMG_0007 (3).HEIC');
    expect(result.companions.map((moved) => path.posix.basename(moved.to)).sort()).toEqual([
      'IMG_0007 (3).AAE',
      'IMG_0007 (3).HEIC.xmp',
      'img_0007 (3).MOV',
    ]);
  });

  it('chooses the names again, for every member, when one is taken while it is being claimed', async () => {
    const { root, index } = await livePhotoLibrary();
    const link = fs.link.bind(fs);
    vi.spyOn(fs, 'link').mockImplementation(async (from, to) => {
      // Another program saves a file under the video's name just before ClipSort links it.
      if (String(to).endsWith('img_0007.MOV') && !(await exists(to))) await fs.writeFile(to, 'theirs');
      return link(from, to);
    });
    const result = await moveFile(root, index, sort('Images/IMG_0007.HEIC'));
    vi.restoreAllMocks();
    expect(result.to).toBe('Dataset/phone/IMG_0007 (2).HEIC');
    expect((await walk(path.join(root, 'Dataset/phone'))).sort()).toEqual(
      [
        'IMG_0007 (2).AAE',
        'IMG_0007 (2).HEIC',
        'IMG_0007 (2).HEIC.xmp',
        'img_0007 (2).MOV',
        'img_0007.MOV',
      ].sort(),
    );
    expect(await fs.readFile(at(root, 'Dataset/phone/img_0007.MOV'), 'utf8')).toBe('theirs');
    const failed = index.moves.recent().filter((row) => row.state === 'failed');
    expect(failed).toHaveLength(4);
  });

  it('puts every member back when one of them cannot be placed', async () => {
    const { root, index, before } = await livePhotoLibrary();
    const link = fs.link.bind(fs);
    vi.spyOn(fs, 'link').mockImplementation(async (from, to) => {
      if (String(to).endsWith('.AAE')) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return link(from, to);
    });
    const error = await clipSortError(moveFile(root, index, sort('Images/IMG_0007.HEIC')));
    expect(error.message).toContain('IMG_0007.HEIC was left where it is');
    vi.restoreAllMocks();
    expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(index.moves.recent().map((row) => row.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
  });

  it('leaves a companion that is a link where it is, and never follows it', async () => {
    const { root, index } = await library();
    await putFile(root, 'Images/beach.jpg');
    const outside = await tempDir();
    await fs.writeFile(path.join(outside, 'secret.mov'), 'not ours');
    await symlink(path.join(outside, 'secret.mov'), at(root, 'Images/beach.mov'));
    const result = await moveFile(root, index, sort('Images/beach.jpg'));
    expect(result.companions).toEqual([]);
    expect(await readdir(at(root, 'Images'))).toEqual(['beach.mov']);
  });
});

describe('recovering a group', () => {
  /** A group journalled for `Dataset/phone/` as the mover plans it, before any file is placed. */
  async function plannedGroup(root: string, index: LibraryIndex) {
    const group = newBatchId();
    const ids = [];
    for (const name of LIVE_PHOTO) {
      ids.push(await planMove(root, index, `Images/${name}`, `Dataset/phone/${name}`, group));
    }
    return ids;
  }

  it('puts the whole group back when a crash came before every member was placed', async () => {
    const { root, index, before } = await livePhotoLibrary();
    await plannedGroup(root, index);
    // Two members were linked, the others not yet.
    for (const name of LIVE_PHOTO.slice(0, 2))
      await link(at(root, `Images/${name}`), at(root, `Dataset/phone/${name}`));

    expect(await recoverMoves(root, index)).toMatchObject({ finished: 0, rolledBack: 4, problems: [] });
    expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
  });

  it('finishes the whole group when a crash came after a first source was removed', async () => {
    const { root, index, before } = await livePhotoLibrary();
    const ids = await plannedGroup(root, index);
    for (const name of LIVE_PHOTO) await link(at(root, `Images/${name}`), at(root, `Dataset/phone/${name}`));
    await unlink(at(root, `Images/${LIVE_PHOTO[0]}`));
    index.moves.finish(ids[0]!);

    expect(await recoverMoves(root, index)).toMatchObject({ finished: 3, rolledBack: 0, problems: [] });
    expect(await walk(path.join(root, 'Images'))).toEqual(['other.jpg']);
    const moved = await treeHashes(path.join(root, 'Dataset/phone'));
    for (const name of LIVE_PHOTO) expect(moved.get(name)).toBe(before.get(name));
  });
});

describe('undoing a group', () => {
  it('puts the whole group back byte for byte, even when only one member is asked for', async () => {
    const { root, index, before } = await livePhotoLibrary();
    const result = await moveFile(root, index, sort('Images/IMG_0007.HEIC'));
    const videoRow = result.companions.find((moved) => moved.to.endsWith('.MOV'))!.id!;

    const report = await undoMoves(root, index, { ids: [videoRow] });
    expect(report.skipped).toEqual([]);
    expect(report.restored).toHaveLength(1);
    expect(report.restored[0]!.companions).toHaveLength(3);
    expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);
    expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    expect(index.moves.undoable({ all: true })).toEqual([]);
  });

  it('numbers the whole group alike when an original name was taken meanwhile', async () => {
    const { root, index } = await livePhotoLibrary();
    const mover = new FileMover(root, index);
    await mover.move(sort('Images/IMG_0007.HEIC'));
    await putFile(root, 'Images/IMG_0007.heic.XMP');

    const report = await undoMoves(root, index);
    expect(report.restored[0]!.to).toBe('Images/IMG_0007 (2).HEIC');
    expect((await walk(path.join(root, 'Images'))).sort()).toEqual(
      [
        'IMG_0007 (2).AAE',
        'IMG_0007 (2).HEIC',
        'IMG_0007 (2).HEIC.xmp',
        'IMG_0007.heic.XMP',
        'img_0007 (2).MOV',
        'other.jpg',
      ].sort(),
    );
    expect((await contentMultiset(root)).length).toBe(6);
  });

  it('leaves the whole group in place when one member was changed since it was moved', async () => {
    const { root, index } = await livePhotoLibrary();
    await moveFile(root, index, sort('Images/IMG_0007.HEIC'));
    await fs.appendFile(at(root, 'Dataset/phone/IMG_0007.AAE'), 'edited');

    const report = await undoMoves(root, index);
    expect(report.restored).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]!.code).toBe('file-changed');
    expect((await walk(path.join(root, 'Dataset/phone'))).sort()).toEqual([...LIVE_PHOTO].sort());
  });
});

async function exists(file: unknown): Promise<boolean> {
  return fs.lstat(String(file)).then(
    () => true,
    () => false,
  );
}
