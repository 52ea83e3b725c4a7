import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkImageFolder } from '../../electron/engine/library/imageFiles.js';
import { escapedName, isUtf8Name } from '../../electron/engine/library/nameBytes.js';
import { writeRaw } from '../helpers/awkwardEntries.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('escapedName', () => {
  it('keeps valid UTF-8 as text and shows every other byte as \\xNN', () => {
    expect(isUtf8Name(Buffer.from('café ☕ 😀.png'))).toBe(true);
    expect(escapedName(Buffer.from('café ☕ 😀.png'))).toBe('café ☕ 😀.png');
    expect(isUtf8Name(latin1('caf\xE9.png'))).toBe(false);
    expect(escapedName(latin1('caf\xE9.png'))).toBe('caf\\xE9.png');
    expect(escapedName(latin1('caf\xE8.png'))).toBe('caf\\xE8.png');
    // A truncated sequence, an overlong encoding, a lone continuation byte, a literal backslash beside them.
    expect(escapedName(Buffer.from([0x61, 0xe2, 0x98, 0x2e]))).toBe('a\\xE2\\x98.');
    expect(escapedName(Buffer.from([0xc0, 0xaf, 0x80]))).toBe('\\xC0\\xAF\\x80');
    expect(escapedName(Buffer.from([0x5c, 0xff]))).toBe('\\\\\\xFF');
  });
});

describe('walkImageFolder and videos', () => {
  it('lists lone videos apart from the images, whatever the case of their extension, hidden ones left out', async () => {
    const root = await tempDir();
    const images = path.join(root, 'Images');
    await mkdir(path.join(images, 'trip'), { recursive: true });
    for (const name of ['IMG_0008.MOV', 'trip/clip.mp4', 'trip/CLIP2.M4V', 'trip/beach.jpg', '.hidden.mov']) {
      await writeFile(path.join(images, name), 'x');
    }
    const scan = await walkImageFolder(root, images);
    expect(scan.files).toEqual(['Images/trip/beach.jpg']);
    expect(scan.videos).toEqual(['Images/IMG_0008.MOV', 'Images/trip/CLIP2.M4V', 'Images/trip/clip.mp4']);
  });

  it('lists one primary per group: a Live Photo, a RAW+JPEG pair and sidecars are one image each', async () => {
    const root = await tempDir();
    const images = path.join(root, 'Images');
    await mkdir(path.join(images, 'shoot'), { recursive: true });
    const names = [
      'IMG_0007.HEIC',
      'img_0007.mov',
      'IMG_0007.AAE',
      'shoot/DSC_1.NEF',
      'shoot/DSC_1.JPG',
      'shoot/DSC_1.JPG.xmp',
      'shoot/DSC_2.CR2',
      'shoot/DSC_2.xmp',
      'shoot/notes.xmp',
    ];
    for (const name of names) await writeFile(path.join(images, name), 'x');
    const scan = await walkImageFolder(root, images);
    expect(scan.files).toEqual(['Images/IMG_0007.HEIC', 'Images/shoot/DSC_1.JPG', 'Images/shoot/DSC_2.CR2']);
    expect(scan.videos).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('walkImageFolder', () => {
  it('lists images and leaves out bad names, each by its own name, and other libraries whole', async () => {
    const root = await tempDir();
    const images = path.join(root, 'Images');
    await mkdir(path.join(images, 'trip/inner'), { recursive: true });
    await writeFile(path.join(images, 'trip/inner/café.jpg'), 'a');
    await writeFile(path.join(images, 'notes.txt'), 'b');
    await writeRaw(images, latin1('caf\xE9.png'), Buffer.from('c'));
    await writeRaw(images, latin1('caf\xE8.png'), Buffer.from('d'));
    await writeRaw(images, latin1('notes\xE9.txt'), Buffer.from('e')); // not an image: not reported either
    await writeRaw(images, Buffer.from('x.jpg'), Buffer.from('f'), latin1('\xE9t\xE9'));
    // A library two levels down, marked by a .clipsort file rather than a folder.
    await mkdir(path.join(images, 'trip/lib/Images'), { recursive: true });
    await writeFile(path.join(images, 'trip/lib/.clipsort'), '');
    await writeFile(path.join(images, 'trip/lib/Images/y.jpg'), 'g');

    const scan = await walkImageFolder(root, images);
    expect(scan.files).toEqual(['Images/trip/inner/café.jpg']);
    expect(scan.skipped.map(({ path: file, code }) => [file, code])).toEqual([
      ['Images/\\xE9t\\xE9', 'name-not-utf8'],
      ['Images/caf\\xE8.png', 'name-not-utf8'],
      ['Images/caf\\xE9.png', 'name-not-utf8'],
      ['Images/trip/lib', 'nested-library'],
    ]);
    expect(scan.skipped[0]!.reason).toMatch(/^Images\/\\xE9t\\xE9: .*the folder was left where it is/);
  });

  it('throws only when the folder itself cannot be read', async () => {
    const root = await tempDir();
    await expect(walkImageFolder(root, path.join(root, 'Images'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
