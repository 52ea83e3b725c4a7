import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeForModel, encodeImage, MAX_INPUT_PIXELS } from '../../electron/engine/imaging/imageCodec.js';
import { readImageFile } from '../../electron/engine/imaging/imageFile.js';
import { parsePreprocessConfig } from '../../electron/engine/imaging/preprocessConfig.js';
import { clipSortError } from '../helpers/errors.js';
import { colourPixels } from '../helpers/images.js';
import { rawFile, withIfd0At, withIfdCycle } from '../helpers/raw.js';
import { useTempDirs } from '../helpers/tempDir.js';

const spec = parsePreprocessConfig({
  size: 224,
  crop_size: 224,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
});
const RED = [200, 30, 30] as const;

/** A PNG whose header claims `width`×`height` pixels: enough to trip a pixel limit without the pixels. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(16)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const decodeError = (bytes: Uint8Array) => clipSortError(decodeForModel(bytes, spec, 'photo.jpg'));

/** Mean colour of decoded RGB pixels. */
function meanColour(data: Uint8Array): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i++) sum[i % 3]! += data[i]!;
  return sum.map((s) => s / (data.length / 3));
}

describe('decoding refuses bad input with a clear, typed error', () => {
  it('a file that is not an image', async () => {
    const error = await decodeError(Buffer.from('<html>not a photo</html>'));
    expect(error.code).toBe('image-unsupported');
    expect(error.message).toMatch(/photo\.jpg: this is not an image/);
  });

  it.each(['jpeg', 'png'] as const)('a truncated %s', async (format) => {
    const whole = await encodeImage(colourPixels(RED, 300, 200, 1), { format });
    const error = await decodeError(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(error.code).toBe('image-corrupt');
    expect(error.message).toMatch(/truncated or damaged/);
  });

  it('a damaged header', async () => {
    const whole = await encodeImage(colourPixels(RED, 300, 200, 1), { format: 'jpeg' });
    const damaged = Buffer.concat([whole.subarray(0, 200), Buffer.alloc(4000, 7)]);
    expect((await decodeError(damaged)).code).toBe('image-corrupt');
  });

  it('an empty buffer', async () => {
    expect((await decodeError(Buffer.alloc(0))).code).toBe('image-empty');
  });

  it('a decompression bomb (header larger than the pixel limit)', async () => {
    const error = await decodeError(pngHeader(20_000, 20_000));
    expect(400_000_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    expect(error.code).toBe('image-too-large');
    expect(error.message).toMatch(/megapixels/);
  });

  it.each([
    ['JPEG XL', Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.alloc(64, 1)])],
    [
      'JPEG XL',
      Buffer.concat([Buffer.from([0, 0, 0, 12]), Buffer.from('JXL \r\n\x87\n', 'latin1'), Buffer.alloc(64)]),
    ],
    [
      'JPEG 2000',
      Buffer.concat([Buffer.from([0, 0, 0, 12]), Buffer.from('jP  \r\n\x87\n', 'latin1'), Buffer.alloc(64)]),
    ],
    [
      'BMP',
      Buffer.concat([
        Buffer.from('BM', 'latin1'),
        Buffer.alloc(12),
        Buffer.from([40, 0, 0, 0]),
        Buffer.alloc(48),
      ]),
    ],
    ['Photoshop', Buffer.concat([Buffer.from('8BPS', 'latin1'), Buffer.alloc(64)])],
  ])('a %s image: not supported yet, never called damaged', async (format, bytes) => {
    const error = await decodeError(bytes);
    expect(error.code).toBe('image-unsupported');
    expect(error.message).toBe(
      `photo.jpg: ${format} images are not supported yet; convert it to JPEG or PNG to sort it.`,
    );
  });

  it.each([
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    '\uFEFF  <?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
    '<!DOCTYPE svg><svg/>',
  ])('an SVG drawing, whatever its name says, is never rendered: %s', async (markup) => {
    const error = await decodeError(Buffer.from(markup));
    expect(error.code).toBe('image-unsupported');
    expect(error.message).toMatch(/^photo\.jpg: SVG drawings are not sorted: ClipSort never renders them/);
  });

  it('a HEIC header with nothing behind it', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(300)]);
    const error = await decodeError(heic);
    expect(error.code).toBe('image-corrupt');
    expect(error.message).toMatch(/the HEIC image is damaged/);
  });

  it.each([
    [
      'cut short',
      (dng: Buffer) => dng.subarray(0, Math.floor(dng.length / 2)),
      /^photo\.dng: the RAW file is truncated or damaged \(a preview lies past the end of the file; it may still be copying\)\.$/,
    ],
    [
      'with IFD0 outside the file',
      (dng: Buffer) => withIfd0At(dng, dng.length + 1000),
      /^photo\.dng: the RAW file is truncated or damaged \(a directory lies past the end of the file; it may still be copying\)\.$/,
    ],
    [
      'with directories in a cycle and no preview',
      () => withIfdCycle(rawFile('dng', {})),
      /^photo\.dng: the RAW file is truncated or damaged \(its directories point back at each other\)\.$/,
    ],
  ])('a DNG %s', async (_, damage, message) => {
    const preview = await encodeImage(colourPixels(RED, 300, 200, 1), { format: 'jpeg' });
    const dng = rawFile('dng', {
      thumbnail: await encodeImage(colourPixels(RED, 64, 48, 2), { format: 'jpeg' }),
      preview,
    });
    const error = await clipSortError(decodeForModel(damage(dng), spec, 'photo.dng'));
    expect(error.code).toBe('image-corrupt');
    expect(error.message).toMatch(message);
  });
});

describe('decoding normalises unusual but valid images to 8-bit sRGB', () => {
  const cases = [
    { name: 'CMYK JPEG', format: 'jpeg', colourspace: 'cmyk' },
    { name: '16-bit PNG', format: 'png', colourspace: 'rgb16' },
    { name: 'palette PNG', format: 'png', palette: true },
    { name: 'TIFF', format: 'tiff' },
    { name: 'WebP', format: 'webp' },
  ] as const;

  it.each(cases)('$name', async ({ name: _, ...options }) => {
    const bytes = await encodeImage(colourPixels(RED, 300, 200, 2, 0), { quality: 95, ...options });
    const image = await decodeForModel(bytes, spec, 'x');
    expect([image.width, image.height, image.channels]).toEqual([224, 224, 3]);
    const [r, g, b] = meanColour(image.data);
    // CMYK round trips lose a little colour; the hue must survive.
    expect(r).toBeGreaterThan(170);
    expect(g).toBeLessThan(70);
    expect(b).toBeLessThan(70);
  });

  it('grey and grey with alpha become three equal channels', async () => {
    const grey = new Uint8Array(100 * 80).fill(90);
    const greyAlpha = new Uint8Array(100 * 80 * 2).map((_, i) => (i % 2 === 0 ? 90 : 255));
    for (const [data, channels] of [
      [grey, 1],
      [greyAlpha, 2],
    ] as const) {
      const bytes = await encodeImage(
        { data, width: 100, height: 80, channels },
        { format: 'png', colourspace: 'b-w' },
      );
      const image = await decodeForModel(bytes, spec, 'grey.png');
      expect(image.channels).toBe(3);
      expect(meanColour(image.data).map(Math.round)).toEqual([90, 90, 90]);
    }
  });

  it('an animated GIF gives its first frame', async () => {
    const frames = [RED, [30, 30, 200] as const];
    const data = new Uint8Array(
      frames.flatMap((colour) => Array.from(colourPixels(colour, 64, 48, 3, 0).data)),
    );
    const gif = await encodeImage(
      { data, width: 64, height: 96, channels: 3 },
      { format: 'gif', pageHeight: 48 },
    );
    const image = await decodeForModel(gif, spec, 'anim.gif');
    const [r, , b] = meanColour(image.data);
    expect(r).toBeGreaterThan(150);
    expect(b).toBeLessThan(80);
  });

  it('EXIF orientation is applied', async () => {
    // Left half red, right half blue, stored with orientation 6 (rotate 90° clockwise to display).
    const width = 300;
    const height = 240;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) data.set(i % width < width / 2 ? RED : [30, 30, 200], i * 3);
    const bytes = await encodeImage({ data, width, height, channels: 3 }, { format: 'png', orientation: 6 });
    const image = await decodeForModel(bytes, spec, 'rotated.png');
    // Displayed, red is on top and blue at the bottom.
    const top = meanColour(image.data.subarray(0, 224 * 50 * 3));
    const bottom = meanColour(image.data.subarray(224 * 174 * 3));
    expect(top[0]).toBeGreaterThan(150);
    expect(bottom[2]).toBeGreaterThan(150);
  });
});

describe('reading image files never blocks, follows links, or reads what is not a file', () => {
  const tempDir = useTempDirs();

  const readError = (file: string) => clipSortError(readImageFile(file, path.basename(file)));

  it('reads bytes, size and sha256 of a regular file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.jpg');
    await writeFile(file, 'abc');
    const image = await readImageFile(file, 'a.jpg');
    expect(image.size).toBe(3);
    expect(image.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(image.bytes.toString()).toBe('abc');
  });

  it('an empty file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'empty.jpg'), '');
    expect((await readError(path.join(dir, 'empty.jpg'))).code).toBe('image-empty');
  });

  it('a FIFO named like a photo (would block a naive reader)', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    expect((await readError(fifo)).code).toBe('not-a-file');
  });

  it('a folder named like a photo', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'folder.jpg'));
    expect((await readError(path.join(dir, 'folder.jpg'))).code).toBe('not-a-file');
  });

  it('a symbolic link, even to a real image', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'real.jpg'), 'abc');
    await symlink(path.join(dir, 'real.jpg'), path.join(dir, 'link.jpg'));
    expect((await readError(path.join(dir, 'link.jpg'))).code).toBe('file-symlink');
    expect(await readFile(path.join(dir, 'real.jpg'), 'utf8')).toBe('abc');
  });

  it('a file that is gone', async () => {
    const dir = await tempDir();
    expect((await readError(path.join(dir, 'missing.jpg'))).code).toBe('file-missing');
  });
});
