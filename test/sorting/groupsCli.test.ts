import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../electron/engine/classify/scores.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { hasHeifEnc, heifEncNote, writeHeic } from '../helpers/heic.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { rawFile } from '../helpers/raw.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes, walk } from '../helpers/tree.js';

const model = ['--model-dir', colourModelDir];

interface SortJson {
  sorted: { file: string; class: string; to: string; companions: string[] }[];
  review: { file: string }[];
  errors: { file: string; error: string }[];
}

/** The groups added to a colour library's inbox: each member, and the class its photo is. */
const GROUPS = {
  blue: ['IMG_0100.HEIC', 'img_0100.MOV', 'IMG_0100.AAE'],
  red: ['DSC_0001.JPG', 'DSC_0001.NEF', 'DSC_0001.NEF.xmp'],
  green: ['green-0.jpg', 'green-0.xmp'],
} as const;

describe('clipsort sort: files that move as one', () => {
  const tempDir = useTempDirs();

  it.skipIf(!hasHeifEnc).each(MODES)(
    `files a Live Photo, a RAW+JPEG pair, a RAW alone and sidecars whole in %s mode; undo puts them back${heifEncNote}`,
    async (mode) => {
      const root = await tempDir();
      const expected = await makeColourLibrary(root);
      const png = path.join(await tempDir(), 'blue.png');
      await writeColourImage(png, COLOURS.blue![1]!, { width: 320, height: 240 });
      await writeHeic(png, path.join(root, 'Images/IMG_0100.HEIC'));
      await writeColourImage(path.join(root, 'Images/DSC_0001.JPG'), COLOURS.red![0]!, {
        width: 320,
        height: 240,
      });
      // The RAW and the video are never decoded: random bytes say so, as they would fail to decode.
      await writeFile(path.join(root, 'Images/DSC_0001.NEF'), randomBytes(5000));
      // A RAW alone is sorted by the JPEG preview inside it.
      const preview = await writeColourImage(path.join(await tempDir(), 'preview.jpg'), COLOURS.red![2]!, {
        width: 320,
        height: 240,
      });
      await writeFile(path.join(root, 'Images/P1000042.DNG'), rawFile('dng', { preview }));
      await writeFile(path.join(root, 'Images/img_0100.MOV'), randomBytes(3000));
      for (const sidecar of ['IMG_0100.AAE', 'DSC_0001.NEF.xmp', 'green-0.xmp']) {
        await writeFile(path.join(root, 'Images', sidecar), `<x:xmpmeta>${sidecar}</x:xmpmeta>`);
      }
      const before = await treeHashes(path.join(root, 'Images'));

      const dryRun = runClipsort(['sort', root, ...model, '--mode', mode, '--dry-run']);
      expect(dryRun.stdout).toMatch(
        /DSC_0001\.JPG → Dataset\/red\/DSC_0001\.JPG .*, with DSC_0001\.NEF, DSC_0001\.NEF\.xmp/,
      );
      expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);

      const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', mode]);
      expect(result.errors).toEqual([]);
      expect(result.review).toEqual([]);
      // One decision per photo: the other members are neither sorted nor errors of their own.
      expect(result.sorted).toHaveLength(expected.length + 3);
      const lone = result.sorted.find((sorted) => sorted.file === 'Images/P1000042.DNG');
      expect(lone).toMatchObject({ class: 'red', to: 'Dataset/red/P1000042.DNG', companions: [] });
      for (const members of Object.values(GROUPS)) {
        const sorted = result.sorted.find((image) => image.file === `Images/${members[0]}`);
        expect(sorted?.companions.map((file) => path.posix.basename(file)).sort()).toEqual(
          members.slice(1).toSorted(),
        );
      }
      expect(await walk(path.join(root, 'Images'))).toEqual([]);
      const red = await treeHashes(path.join(root, 'Dataset/red'));
      expect(red.get('P1000042.DNG')).toBe(before.get('P1000042.DNG'));
      for (const [colour, members] of Object.entries(GROUPS)) {
        const dataset = await treeHashes(path.join(root, 'Dataset', colour));
        for (const name of members) expect(dataset.get(name)).toBe(before.get(name));
      }

      runClipsortJson<unknown>(['undo', root, '--all']);
      expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);
      expect(await walk(path.join(root, 'Dataset'))).toEqual([]);
    },
  );
});
