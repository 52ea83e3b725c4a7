/**
 * RAW files decoded through their largest embedded JPEG preview, as the rest of ClipSort sees them: the pixels are
 * the preview's, the RAW's orientation turns a preview that has none, damaged files give a clear error whatever is
 * cut or flipped, a plain TIFF stays a TIFF, and all of it works in the decoder process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';
import {
  decodeForModel,
  encodeImage,
  readImageInfo,
  thumbnail,
} from '../../electron/engine/imaging/imageCodec.js';
import { ImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import { clipSortError } from '../helpers/errors.js';
import { colourPixels, random } from '../helpers/images.js';
import { RAW_FORMATS, rawFile, tiffFile } from '../helpers/raw.js';
import { meanDifference, unscaledInput as spec } from '../helpers/pixels.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** A red 300×200 photo with a block of another colour off-centre (so a turn or mirror shows), as JPEG. */
const photo = (orientation?: number) =>
  encodeImage(colourPixels([200, 40, 30], 300, 200, 5, 0.15), { format: 'jpeg', quality: 90, orientation });
/** The camera's small thumbnail: a different picture, so decoding it instead would show. */
const smallThumbnail = () => encodeImage(colourPixels([30, 40, 220], 96, 64, 9), { format: 'jpeg' });

describe('RAW files decode as their largest preview', () => {
  it.each(RAW_FORMATS)('%s: the pixels are the preview JPEG’s, not the thumbnail’s', async (format) => {
    const preview = await photo();
    const file = rawFile(format, { thumbnail: await smallThumbnail(), preview });
    const name = `IMG_0001.${format.toUpperCase()}`;
    const expected = await decodeForModel(preview, spec, 'preview.jpg');
    const decoded = await decodeForModel(file, spec, name);
    expect(Buffer.from(decoded.data).equals(Buffer.from(expected.data))).toBe(true);
    expect(await readImageInfo(file, name)).toEqual({ format: 'jpeg', width: 300, height: 200 });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'a preview without orientation is turned as the RAW’s IFD0 says (%i)',
    async (orientation) => {
      const file = rawFile('nef', { thumbnail: await smallThumbnail(), preview: await photo(), orientation });
      const tagged = await photo(orientation);
      const expected = await decodeForModel(tagged, spec, 'tagged.jpg');
      expect(meanDifference(await decodeForModel(file, spec, 'DSC_0001.NEF'), expected)).toBeLessThan(0.5);
      expect(await readImageInfo(file, 'DSC_0001.NEF')).toEqual(await readImageInfo(tagged, 'tagged.jpg'));
    },
  );

  it('a preview with an orientation of its own keeps it (the RAW’s would turn it twice)', async () => {
    const tagged = await photo(3);
    const file = rawFile('arw', { preview: tagged, orientation: 6 });
    const expected = await decodeForModel(tagged, spec, 'tagged.jpg');
    expect(meanDifference(await decodeForModel(file, spec, 'DSC01.ARW'), expected)).toBe(0);
    const cr3 = rawFile('cr3', { thumbnail: await smallThumbnail(), preview: await photo(), orientation: 6 });
    expect(await readImageInfo(cr3, 'IMG_1.CR3')).toEqual({ format: 'jpeg', width: 200, height: 300 });
  });

  it('makes thumbnails of RAW files', async () => {
    const file = rawFile('dng', {
      thumbnail: await smallThumbnail(),
      preview: await photo(),
      orientation: 6,
    });
    const webp = await thumbnail(file, 60, 'photo.dng');
    expect(await readImageInfo(webp, 'thumbnail')).toEqual({ format: 'webp', width: 40, height: 60 });
  });

  it('says so when a RAW file has no preview, and applies the pixel limit to its preview', async () => {
    const error = await clipSortError(decodeForModel(rawFile('cr2', {}), spec, 'IMG_0002.CR2'));
    expect(error.code).toBe('image-unsupported');
    expect(error.message).toBe(
      'IMG_0002.CR2: this RAW file has no embedded JPEG preview ClipSort can read; export a JPEG from your RAW editor to sort it.',
    );
    // A real JPEG whose frame header claims 20000×20000 pixels.
    const bombJpeg = await photo();
    const frame = bombJpeg.indexOf(Buffer.from([0xff, 0xc0]), 2);
    bombJpeg.writeUInt16BE(20_000, frame + 5);
    bombJpeg.writeUInt16BE(20_000, frame + 7);
    const bomb = rawFile('dng', { preview: bombJpeg });
    expect((await clipSortError(decodeForModel(bomb, spec, 'bomb.dng'))).code).toBe('image-too-large');
  });

  it('reads a JPEG named like a RAW as the JPEG it is', async () => {
    const jpeg = await photo();
    const decoded = await decodeForModel(jpeg, spec, 'renamed.nef');
    expect(meanDifference(decoded, await decodeForModel(jpeg, spec, 'renamed.jpg'))).toBe(0);
  });

  it('leaves a plain TIFF to libvips as a TIFF, even one laid out like a DNG', async () => {
    const tiff = await encodeImage(colourPixels([200, 40, 30], 300, 200, 5), { format: 'tiff' });
    expect(await readImageInfo(tiff, 'scan.tif')).toEqual({ format: 'tiff', width: 300, height: 200 });
    expect((await decodeForModel(tiff, spec, 'scan.TIFF')).width).toBe(224);
    // A DNG's bytes named .tif are not searched for a preview.
    const dng = tiffFile(Buffer.from('II*\0\0\0\0\0', 'latin1'), [{ jpeg: await photo() }]);
    await expect(readImageInfo(dng, 'scan.tif')).rejects.toBeInstanceOf(ClipSortError);
    expect(await readImageInfo(dng, 'scan.dng')).toEqual({ format: 'jpeg', width: 300, height: 200 });
  });
});

describe('damaged RAW files', () => {
  /** Decodes `bytes`, expecting success or a ClipSortError naming the file, and nothing else. */
  async function decodeOrRefuse(bytes: Uint8Array, name: string): Promise<void> {
    const result: unknown = await decodeForModel(bytes, spec, name).catch((error: unknown) => error);
    if (result instanceof Error) {
      expect(result).toBeInstanceOf(ClipSortError);
      expect(result.message.startsWith(`${name}: `)).toBe(true);
    }
  }

  it.each(['dng', 'nef', 'cr3', 'raf'] as const)(
    '%s: truncated at many points, or with bytes flipped, gives only ClipSortErrors',
    async (format) => {
      const file = rawFile(format, {
        thumbnail: await smallThumbnail(),
        preview: await photo(),
        orientation: 6,
      });
      for (let i = 1; i < 40; i++)
        await decodeOrRefuse(file.subarray(0, Math.floor((file.length * i) / 40)), `cut.${format}`);
      const truncated = await clipSortError(
        decodeForModel(file.subarray(0, Math.floor(file.length / 2)), spec, `c.${format}`),
      );
      expect(truncated.code).toBe('image-corrupt');
      expect(truncated.message).toMatch(new RegExp(`^c\\.${format}: the RAW file is truncated or damaged`));
      const next = random(7);
      for (let trial = 0; trial < 60; trial++) {
        const damaged = Buffer.from(file);
        for (let flips = 0; flips < 4; flips++)
          damaged[Math.floor(next() * file.length)] = Math.floor(next() * 256);
        await decodeOrRefuse(damaged, `flip.${format}`);
      }
    },
  );
});

describe('RAW files in the decoder process', () => {
  const tempDir = useTempDirs();

  it('decodes a .NEF as its preview', async () => {
    const dir = await tempDir();
    const preview = await photo();
    const file = rawFile('nef', { thumbnail: await smallThumbnail(), preview, orientation: 1 });
    await mkdir(path.join(dir, 'inbox'));
    await writeFile(path.join(dir, 'inbox', 'DSC_0042.NEF'), file);
    await writeFile(path.join(dir, 'inbox', 'DSC_0043.NEF'), rawFile('nef', {}));
    const decoder = new ImageDecoder();
    try {
      const decoded = await decoder.decode(
        path.join(dir, 'inbox', 'DSC_0042.NEF'),
        'inbox/DSC_0042.NEF',
        spec,
      );
      expect(decoded.size).toBe(file.length);
      const expected = await decodeForModel(preview, spec, 'preview.jpg');
      expect(Buffer.from(decoded.pixels.data).equals(Buffer.from(expected.data))).toBe(true);
      const error = await clipSortError(
        decoder.decode(path.join(dir, 'inbox', 'DSC_0043.NEF'), 'inbox/DSC_0043.NEF', spec),
      );
      expect(error.code).toBe('image-unsupported');
      expect(error.message).toMatch(/^inbox\/DSC_0043\.NEF: this RAW file has no embedded JPEG preview/);
    } finally {
      await decoder.close();
    }
  });
});
