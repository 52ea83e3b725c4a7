/**
 * What ClipSort cannot handle in Images/ stays exactly where it is, named in what sort and status say: files and
 * folders whose names are not valid UTF-8, another library inside the inbox, and a folder whose path is longer
 * than the system allows. Everything else is sorted as usual.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import {
  longNames,
  readableDepth,
  readDeep,
  readRaw,
  removeDeep,
  writeDeep,
  writeRaw,
} from '../helpers/awkwardEntries.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes } from '../helpers/tree.js';

const model = ['--model-dir', colourModelDir];

interface SortJson {
  sorted: { file: string; class: string; to: string }[];
  errors: { file: string; error: string }[];
}

interface StatusJson {
  inbox: number;
  skippedInbox: { path: string; code: string; reason: string }[];
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe.runIf(process.platform === 'linux')('entries of Images/ that ClipSort cannot handle', () => {
  const tempDir = useTempDirs();

  it('are left byte for byte where they are, each named, while the rest is sorted', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const images = path.join(root, 'Images');
    const red = await writeColourImage(path.join(await tempDir(), 'red.png'), COLOURS.red![0]!, { seed: 7 });
    const green = await writeColourImage(path.join(await tempDir(), 'green.png'), COLOURS.green![0]!, {
      seed: 8,
    });

    // Twins that Node reads as one name, Images/caf\uFFFD.png, and a folder with such a name.
    await writeRaw(images, latin1('caf\xE9.png'), red);
    await writeRaw(images, latin1('caf\xE8.png'), green);
    await writeRaw(images, Buffer.from('green.png'), green, latin1('\xE9t\xE9'));

    // Another library dropped into the inbox: its photos, references and sorted images are its own.
    const other = path.join(images, 'other');
    await writeColourImage(path.join(other, 'Images/red-new.png'), COLOURS.red![1]!, { seed: 9 });
    await writeColourImage(path.join(other, 'Classes/red/ref.png'), COLOURS.red![0]!, { seed: 10 });
    await writeColourImage(path.join(other, 'Dataset/green/old.png'), COLOURS.green![1]!, { seed: 11 });
    await mkdir(path.join(other, '.clipsort'));
    await writeFile(path.join(other, '.clipsort/library.db'), 'its index');
    const otherBefore = await treeHashes(other);

    // A chain of folders deeper than PATH_MAX, with a photo at a depth that can still be read.
    const deep = path.join(images, 'deep');
    const names = longNames(20, 250);
    const depth = readableDepth(deep, names);
    expect(depth).toBeLessThan(names.length);
    await mkdir(path.join(deep, names[0]!), { recursive: true });
    await writeColourImage(path.join(deep, names[0]!, 'shallow.png'), COLOURS.blue![0]!, { seed: 12 });
    writeDeep(deep, names, 'bottom.png', red);
    const tooLong = `Images/deep/${names.slice(0, depth + 1).join('/')}`;

    try {
      const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max']);
      const where = Object.fromEntries(result.sorted.map((s) => [s.file, s.to]));
      for (const { file, colour } of expected) {
        expect(where[file]).toBe(`Dataset/${colour}/${path.posix.basename(file)}`);
      }
      expect(where[`Images/deep/${names[0]}/shallow.png`]).toBe('Dataset/blue/shallow.png');
      expect(result.sorted).toHaveLength(expected.length + 1);

      const errors = new Map(result.errors.map((e) => [e.file, e.error]));
      expect([...errors.keys()].sort()).toEqual(
        ['Images/caf\\xE8.png', 'Images/caf\\xE9.png', 'Images/other', 'Images/\\xE9t\\xE9', tooLong].sort(),
      );
      for (const file of ['Images/caf\\xE9.png', 'Images/caf\\xE8.png']) {
        expect(errors.get(file)).toBe(
          `${file}: the name is not valid UTF-8, so ClipSort cannot handle it; the file was left where it is ` +
            '(rename it to sort it).',
        );
      }
      expect(errors.get('Images/\\xE9t\\xE9')).toMatch(/not valid UTF-8.*the folder was left where it is/);
      expect(errors.get('Images/other')).toMatch(/^Images\/other is another ClipSort library; left alone/);
      expect(errors.get(tooLong)).toMatch(/path is longer than the system allows\. It was left where it is/);

      // Nothing of them moved or changed.
      expect(await readRaw(images, latin1('caf\xE9.png'))).toEqual(red);
      expect(await readRaw(images, latin1('caf\xE8.png'))).toEqual(green);
      expect(await readRaw(images, Buffer.from('green.png'), latin1('\xE9t\xE9'))).toEqual(green);
      expect(await treeHashes(other)).toEqual(otherBefore);
      expect(readDeep(deep, names, 'bottom.png')).toEqual(red);
      expect((await treeHashes(path.join(root, 'Dataset'))).size).toBe(expected.length + 1);

      // Said again, the same way, by a second pass and by status.
      const again = runClipsort(['sort', root, ...model, '--mode', 'max']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Images/caf\\xE9.png: the name is not valid UTF-8, so ClipSort cannot');
      expect(again.stdout).toContain('Images/caf\\xE8.png: the name is not valid UTF-8, so ClipSort cannot');
      expect(again.stdout).toContain('Images/other is another ClipSort library; left alone');
      expect(again.stdout).toContain('0 sorted, 0 waiting for review, 5 failed');

      const status = runClipsortJson<StatusJson>(['status', root]);
      expect(status.inbox).toBe(0);
      expect(status.skippedInbox.map(({ path: file, code }) => [file, code])).toEqual(
        [
          ['Images/\\xE9t\\xE9', 'name-not-utf8'],
          ['Images/caf\\xE8.png', 'name-not-utf8'],
          ['Images/caf\\xE9.png', 'name-not-utf8'],
          ['Images/other', 'nested-library'],
          [tooLong, 'path-too-long'],
        ].sort(([a], [b]) => (a! < b! ? -1 : 1)),
      );
      expect(status.skippedInbox.map((s) => s.reason)).toEqual(
        status.skippedInbox.map((s) => errors.get(s.path)),
      );
      expect(runClipsort(['status', root]).stdout).toContain(
        'skipped: Images/other is another ClipSort library; left alone',
      );
    } finally {
      removeDeep(deep, names);
    }
  });
});
