/**
 * The RAW container parser on its own, over files from test/helpers/raw.ts with header-only JPEGs: which preview
 * each format gives, that sensor data is never taken, and that hostile files (cut short, flipped bytes, cycles,
 * absurd counts) end in a ClipSortError, never in another exception or a loop.
 */
import { describe, expect, it } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';
import { jpegFrameSize, rawPreview } from '../../electron/engine/imaging/rawPreview.js';
import { thrownClipSortError } from '../helpers/errors.js';
import { random } from '../helpers/images.js';
import {
  box,
  fakeJpeg,
  losslessJpeg,
  RAW_FORMATS,
  rawFile,
  tiffFile,
  withIfd0At,
  withIfdCycle,
  type IfdSpec,
} from '../helpers/raw.js';

const thumbnail = fakeJpeg(160, 120);
const preview = fakeJpeg(1620, 1080, 2000);
const TIFF_FORMATS = RAW_FORMATS.filter((format) => format !== 'raf' && format !== 'cr3');
const II = Buffer.from('II*\0\0\0\0\0', 'latin1');

/** rawPreview's result, or the ClipSortError it threw (anything else fails the test). */
function outcome(bytes: Uint8Array, name: string) {
  try {
    return rawPreview(bytes, name);
  } catch (error) {
    if (!(error instanceof ClipSortError)) throw error;
    return error;
  }
}

describe('the largest embedded JPEG preview of a RAW file', () => {
  it.each(RAW_FORMATS)('%s: the preview over the thumbnail, with the RAW orientation', (format) => {
    const file = rawFile(format, { thumbnail, preview, orientation: 8 });
    const found = rawPreview(file, `IMG_0001.${format}`)!;
    expect(Buffer.from(found.jpeg).equals(preview)).toBe(true);
    expect(found.orientation).toBe(format === 'raf' ? 1 : 8);
  });

  it.each(RAW_FORMATS)('%s: the thumbnail when it is the only JPEG', (format) => {
    const found = rawPreview(rawFile(format, { thumbnail }), `IMG_0001.${format}`)!;
    expect(Buffer.from(found.jpeg).equals(thumbnail)).toBe(true);
    expect(found.orientation).toBe(1);
  });

  it.each(RAW_FORMATS)('%s: never the sensor data, though it is the largest frame', (format) => {
    const error = thrownClipSortError(() =>
      rawPreview(rawFile(format, {}), `IMG_0001.${format.toUpperCase()}`),
    );
    expect(error.code).toBe('image-unsupported');
    expect(error.message).toBe(
      `IMG_0001.${format.toUpperCase()}: this RAW file has no embedded JPEG preview ClipSort can read; export a JPEG from your RAW editor to sort it.`,
    );
  });

  it('ties in pixel area go to the longer JPEG, and progressive previews count', () => {
    const small = fakeJpeg(800, 600, 100);
    const long = fakeJpeg(800, 600, 900);
    const progressive = Buffer.from(fakeJpeg(900, 600));
    progressive[progressive.indexOf(Buffer.from([0xff, 0xc0]), 2) + 1] = 0xc2;
    const file = tiffFile(II, [{ jpeg: small, subIfds: [{ jpeg: long }] }]);
    expect(Buffer.from(rawPreview(file, 'a.dng')!.jpeg).equals(long)).toBe(true);
    const withProgressive = tiffFile(II, [
      { jpeg: small, subIfds: [{ strip: { bytes: progressive, compression: 7 } }] },
    ]);
    expect(jpegFrameSize(rawPreview(withProgressive, 'a.dng')!.jpeg)).toEqual({ width: 900, height: 600 });
  });

  it('takes JPEG strips only when compressed as JPEG, and only single strips', () => {
    const uncompressed: IfdSpec = { strip: { bytes: preview, compression: 1 } };
    expect(thrownClipSortError(() => rawPreview(tiffFile(II, [uncompressed]), 'a.nef')).code).toBe(
      'image-unsupported',
    );
  });

  it('leaves bytes in no RAW container to be read as what they are', () => {
    expect(rawPreview(preview, 'renamed.nef')).toBeUndefined();
    expect(rawPreview(Buffer.from('not a raw file at all'), 'a.cr2')).toBeUndefined();
    expect(rawPreview(Buffer.alloc(3), 'a.dng')).toBeUndefined();
  });
});

describe('frame headers', () => {
  it('give the size of baseline and progressive JPEGs only', () => {
    expect(jpegFrameSize(fakeJpeg(4000, 3000))).toEqual({ width: 4000, height: 3000 });
    expect(jpegFrameSize(losslessJpeg(6000, 4000))).toBeUndefined();
    expect(jpegFrameSize(fakeJpeg(0, 3000))).toBeUndefined();
    expect(jpegFrameSize(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]))).toBeUndefined();
    expect(jpegFrameSize(Buffer.from([0xff, 0xd8, ...Buffer.alloc(5000, 0xff)]))).toBeUndefined();
    expect(jpegFrameSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8]))).toBeUndefined();
  });
});

describe('damaged RAW files end in a clear error', () => {
  it.each(TIFF_FORMATS)('%s: IFD0 past the end of the file', (format) => {
    const file = withIfd0At(rawFile(format, { thumbnail, preview }), 0x7fff_fff0);
    const error = thrownClipSortError(() => rawPreview(file, `cut.${format}`));
    expect(error.code).toBe('image-corrupt');
    expect(error.message).toBe(
      `cut.${format}: the RAW file is truncated or damaged (a directory lies past the end of the file; it may still be copying).`,
    );
  });

  it('a directory cycle ends: the preview is still found, or the cycle is named', () => {
    const withPreview = withIfdCycle(rawFile('dng', { thumbnail, preview }));
    expect(Buffer.from(rawPreview(withPreview, 'a.dng')!.jpeg).equals(preview)).toBe(true);
    const error = thrownClipSortError(() => rawPreview(withIfdCycle(rawFile('cr2', {})), 'b.cr2'));
    expect(error.code).toBe('image-corrupt');
    expect(error.message).toMatch(
      /^b\.cr2: the RAW file is truncated or damaged \(its directories point back/,
    );
    // SubIFDs that point at their parent.
    const file = tiffFile(II, [{ subIfds: [{}] }]);
    const ifd0 = file.readUInt32LE(4);
    const subs = file.readUInt32LE(ifd0 + 2 + 8);
    file.writeUInt32LE(ifd0, subs);
    expect(thrownClipSortError(() => rawPreview(file, 'c.dng')).code).toBe('image-corrupt');
  });

  it('a chain of thousands of directories, or one with absurd counts, is capped', () => {
    const chain = tiffFile(
      II,
      Array.from({ length: 500 }, () => ({})),
    );
    expect(thrownClipSortError(() => rawPreview(chain, 'long.dng')).message).toMatch(
      /more than 64 directories/,
    );
    const absurd = tiffFile(II, [{ jpeg: preview }]);
    absurd.writeUInt16LE(60000, absurd.readUInt32LE(4));
    expect(thrownClipSortError(() => rawPreview(absurd, 'absurd.dng')).code).toBe('image-corrupt');
    const manySubs = tiffFile(II, [{ subIfds: Array.from({ length: 100 }, () => ({ jpeg: thumbnail })) }]);
    expect(Buffer.from(rawPreview(manySubs, 'subs.dng')!.jpeg).equals(thumbnail)).toBe(true);
  });

  it('CR3 boxes that run past the end of the file are the file cut short', () => {
    const file = rawFile('cr3', { thumbnail, preview });
    const error = thrownClipSortError(() => rawPreview(file.subarray(0, file.length - 10), 'a.cr3'));
    expect(error.message).toMatch(/^a\.cr3: the RAW file is truncated or damaged \(a box lies past/);
    const huge = Buffer.concat([box('ftyp', Buffer.from('crx \0\0\0\x01')), box('moov')]);
    huge.writeUInt32BE(1, 16);
    expect(outcome(huge, 'b.cr3')).toBeInstanceOf(ClipSortError);
  });

  it.each(RAW_FORMATS)('%s: cut at every point, never anything but a ClipSortError', (format) => {
    const file = rawFile(format, { thumbnail, preview, orientation: 3 });
    for (let cut = 0; cut < file.length; cut += 7) {
      const result = outcome(file.subarray(0, cut), `cut.${format}`);
      if (result instanceof ClipSortError) expect(result.message).toMatch(new RegExp(`^cut\\.${format}: `));
    }
  });

  it.each(RAW_FORMATS)('%s: random byte flips, never anything but a ClipSortError', (format) => {
    const file = rawFile(format, { thumbnail, preview, orientation: 6 });
    const next = random(format.length * 97);
    // The structure is in the first few hundred bytes; flips there reach offsets, counts and types.
    const structure = Math.min(file.length, 600);
    for (let trial = 0; trial < 2000; trial++) {
      const damaged = Buffer.from(file);
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
        const at = next() < 0.8 ? Math.floor(next() * structure) : Math.floor(next() * file.length);
        damaged[at] = Math.floor(next() * 256);
      }
      const result = outcome(damaged, `flip.${format}`);
      if (result && !(result instanceof ClipSortError)) expect(jpegFrameSize(result.jpeg)).toBeDefined();
    }
  });
});
