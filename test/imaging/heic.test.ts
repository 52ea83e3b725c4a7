/**
 * HEIC photos decoded as the other formats are: the primary image, EXIF orientation applied where the container
 * does not turn it itself, 10-bit reduced to 8-bit, alpha as for PNG, thumbnails, the pixel limit, damaged files
 * refused with a clear message, and all of it in the decoder process. Files come from libheif's own encoder.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHeif, hasTransforms, isHeif } from '../../electron/engine/imaging/heifImage.js';
import {
  decodeForModel,
  encodeImage,
  readImageInfo,
  thumbnail,
  type EncodeOptions,
} from '../../electron/engine/imaging/imageCodec.js';
import { ImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import type { RawImage } from '../../electron/engine/imaging/resample.js';
import { clipSortError } from '../helpers/errors.js';
import { hasHeifEnc, heifEncNote, writeHeic } from '../helpers/heic.js';
import { meanDifference, unscaledInput as spec } from '../helpers/pixels.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * A 96×64 picture that is not symmetric (red, a blue block in its top-left corner and a green one below it), with
 * an alpha channel when asked: opaque on the left half, clear on the right.
 */
function picture(alpha = false): RawImage {
  const [width, height, channels] = [96, 64, alpha ? 4 : 3];
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour =
        x < 32 && y < 24
          ? [20, 40, 220]
          : x >= 8 && x < 32 && y >= 40 && y < 56
            ? [30, 180, 60]
            : [200, 40, 30];
      const at = (y * width + x) * channels;
      data.set(colour, at);
      if (alpha) data[at + 3] = x < 48 ? 255 : 0;
    }
  }
  return { data, width, height, channels };
}

/** Writes `image` as `format` to `file`. */
async function write(
  file: string,
  image: RawImage,
  options: Omit<EncodeOptions, 'format'> & { format: EncodeOptions['format'] },
) {
  await writeFile(file, await encodeImage(image, options));
  return file;
}

describe(`HEIC photos${heifEncNote}`, () => {
  const tempDir = useTempDirs();

  it.skipIf(!hasHeifEnc).each([1, 2, 3, 4, 5, 6, 7, 8])(
    'with EXIF orientation %i decode as the same photo in JPEG does',
    async (orientation) => {
      const dir = await tempDir();
      const jpeg = await write(path.join(dir, 'photo.jpg'), picture(), {
        format: 'jpeg',
        quality: 95,
        orientation,
      });
      const heic = await writeHeic(jpeg, path.join(dir, 'photo.heic'));
      expect(hasTransforms(heic)).toBe(false);
      const info = await readImageInfo(heic, 'photo.heic');
      expect(info).toEqual({
        format: 'heif',
        ...(orientation >= 5 ? { width: 64, height: 96 } : { width: 96, height: 64 }),
      });
      const fromJpeg = await decodeForModel(await readFile(jpeg), spec, 'photo.jpg');
      const fromHeic = await decodeForModel(heic, spec, 'photo.heic');
      // Two lossy encodings of one picture: close, where a turned or mirrored one differs by far more.
      expect(meanDifference(fromHeic, fromJpeg)).toBeLessThan(8);
    },
  );

  it.skipIf(!hasHeifEnc)('reduces a 10-bit photo to 8 bits, and keeps transparency as for PNG', async () => {
    const dir = await tempDir();
    const png16 = await write(path.join(dir, 'deep.png'), picture(), { format: 'png', colourspace: 'rgb16' });
    const deep = await writeHeic(png16, path.join(dir, 'deep.heic'), { bitDepth: 10 });
    const eight = await decodeForModel(await readFile(png16), spec, 'deep.png');
    expect(meanDifference(await decodeForModel(deep, spec, 'deep.heic'), eight)).toBeLessThan(6);

    const clear = await write(path.join(dir, 'clear.png'), picture(true), { format: 'png' });
    const alpha = await writeHeic(clear, path.join(dir, 'clear.heic'));
    const pixels = await decodeHeif(alpha, 'clear.heic', 1e8);
    expect(pixels.hasAlpha).toBe(true);
    expect(
      meanDifference(
        await decodeForModel(alpha, spec, 'clear.heic'),
        await decodeForModel(await readFile(clear), spec, 'clear.png'),
      ),
    ).toBeLessThan(6);
  });

  it.skipIf(!hasHeifEnc)(
    'makes thumbnails, and refuses a photo over the pixel limit before decoding it',
    async () => {
      const dir = await tempDir();
      const jpeg = await write(path.join(dir, 'photo.jpg'), picture(), { format: 'jpeg', orientation: 6 });
      const heic = await writeHeic(jpeg, path.join(dir, 'photo.heic'));
      const webp = await thumbnail(heic, 48, 'photo.heic');
      expect(await readImageInfo(webp, 'thumbnail')).toEqual({ format: 'webp', width: 32, height: 48 });
      const error = await clipSortError(decodeHeif(heic, 'photo.heic', 96 * 64 - 1));
      expect(error.code).toBe('image-too-large');
      expect(error.message).toMatch(/^photo\.heic: .*megapixels/);
    },
  );

  it.skipIf(!hasHeifEnc)(
    'says a truncated or damaged HEIC is damaged, and decodes one in the decoder process',
    async () => {
      const dir = await tempDir();
      const png = await write(path.join(dir, 'photo.png'), picture(), { format: 'png' });
      const heic = await writeHeic(png, path.join(dir, 'photo.heic'));
      for (const broken of [heic.subarray(0, Math.floor(heic.length / 2)), heic.subarray(0, 40)]) {
        const error = await clipSortError(decodeForModel(broken, spec, 'broken.heic'));
        expect(error.code).toBe('image-corrupt');
        expect(error.message).toMatch(/^broken\.heic: the HEIC image is damaged/);
      }
      await mkdir(path.join(dir, 'inbox'));
      await writeFile(path.join(dir, 'inbox', 'IMG_0007.HEIC'), heic);
      const decoder = new ImageDecoder();
      try {
        const decoded = await decoder.decode(path.join(dir, 'inbox', 'IMG_0007.HEIC'), 'IMG_0007.HEIC', spec);
        expect([decoded.pixels.width, decoded.pixels.height, decoded.size]).toEqual([224, 224, heic.length]);
      } finally {
        await decoder.close();
      }
    },
  );
});

describe('HEIF rotation and mirror properties', () => {
  /** A box: size, type, content. */
  const box = (type: string, ...content: Buffer[]) => {
    const body = Buffer.concat(content);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(8 + body.length);
    header.write(type, 4, 'latin1');
    return Buffer.concat([header, body]);
  };
  const file = (properties: Buffer[]) =>
    Buffer.concat([
      box('ftyp', Buffer.from('heic\0\0\0\0mif1heic')),
      box('meta', Buffer.alloc(4), box('hdlr', Buffer.alloc(24)), box('iprp', box('ipco', ...properties))),
      box('mdat', Buffer.from('irot imir, but only as image data')),
    ]);

  it('are found among the item properties, and nowhere else', () => {
    expect(hasTransforms(file([box('ispe', Buffer.alloc(12)), box('irot', Buffer.from([1]))]))).toBe(true);
    expect(hasTransforms(file([box('imir', Buffer.from([0]))]))).toBe(true);
    expect(hasTransforms(file([box('ispe', Buffer.alloc(12))]))).toBe(false);
    // A size that runs past the file stops the walk instead of reading beyond it.
    const broken = file([box('irot', Buffer.from([1]))]);
    broken.writeUInt32BE(0xffff, 24);
    expect(hasTransforms(broken)).toBe(false);
  });
});

describe('which files go to the HEIC decoder', () => {
  const ftyp = (major: string, ...compatible: string[]) => {
    const body = Buffer.from(`${major}\0\0\0\0${compatible.join('')}`, 'latin1');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(8 + body.length);
    header.write('ftyp', 4, 'latin1');
    return Buffer.concat([header, body, Buffer.alloc(16)]);
  };

  it('takes HEVC-coded HEIF by its major or a compatible brand, and leaves AVIF to libvips', () => {
    expect(isHeif(ftyp('heic', 'mif1', 'heic'))).toBe(true);
    expect(isHeif(ftyp('mif1', 'mif1', 'heic'))).toBe(true);
    expect(isHeif(ftyp('avif', 'mif1', 'avif', 'miaf'))).toBe(false);
    expect(isHeif(ftyp('mif1', 'mif1', 'avif'))).toBe(false);
    expect(isHeif(Buffer.from('not an image at all, only text'))).toBe(false);
  });

  it('still decodes an AVIF photo through libvips', async () => {
    const avif = await encodeImage(picture(), { format: 'avif' });
    const decoded = await decodeForModel(avif, spec, 'photo.avif');
    expect([decoded.width, decoded.height]).toEqual([224, 224]);
  });
});
