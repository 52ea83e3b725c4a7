/**
 * The one module that imports sharp. It decodes untrusted image bytes defensively (pixel limit, first frame only,
 * truncated data refused) into 8-bit sRGB pixels at the model's input size, and turns every decoding failure into
 * a ClipSortError a person can understand. HEIF photos are decoded to pixels first (see heifImage.ts), and RAW
 * files give their embedded JPEG preview (see rawPreview.ts); then they go through the same steps.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { ClipSortError, errorMessage } from '../errors.js';
import { isRawName } from '../library/mediaKinds.js';
import { exifOrientation } from './exifOrientation.js';
import { centreCropBox, resizedSize, type Size } from './geometry.js';
import { decodeHeif, isHeif } from './heifImage.js';
import type { PreprocessSpec } from './preprocessConfig.js';
import { rawPreview } from './rawPreview.js';
import { unsupportedFormat } from './unsupportedFormats.js';
import { resizeBicubic, type RawImage } from './resample.js';

// Files we decode may be moved next; libvips must not keep them open (Windows locks them).
sharp.cache(false);

/** Larger images are refused: above every consumer camera, below what would exhaust memory. */
export const MAX_INPUT_PIXELS = 200_000_000;

const decodeOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  failOn: 'error',
  pages: 1,
  page: 0,
  autoOrient: true,
} as const satisfies SharpOptions;

export interface ImageInfo extends Size {
  /** Container format as libvips names it (`jpeg`, `png`, `webp`, `heif`, …). */
  format: string;
}

/** An image ready for libvips: its size after orientation, and a fresh pipeline over its pixels. */
interface OpenImage {
  info: ImageInfo;
  pipeline: () => Sharp;
}

/** Maps a libvips failure to a message about the file, not about libvips. */
function decodeError(error: unknown, name: string): ClipSortError {
  if (error instanceof ClipSortError) return error;
  const message = errorMessage(error);
  const because = (code: string, text: string) =>
    new ClipSortError(code, `${name}: ${text}`, { cause: error });
  if (/pixel limit/i.test(message)) {
    return because(
      'image-too-large',
      `the image is larger than ${MAX_INPUT_PIXELS / 1e6} megapixels, so it is not decoded (it may be a decompression bomb).`,
    );
  }
  if (/unsupported image format/i.test(message)) {
    return because('image-unsupported', 'this is not an image in a format ClipSort can read.');
  }
  if (/premature end|truncated|read error|end of file|unexpected end/i.test(message)) {
    return because('image-corrupt', 'the image is truncated or damaged (it may still be copying).');
  }
  return because('image-corrupt', `the image is damaged and cannot be decoded (${message.split('\n')[0]}).`);
}

/**
 * Opens `bytes` for decoding: read by libvips itself, or (HEIF) decoded to pixels first. A RAW file (routed by its
 * name, since a plain TIFF must stay a TIFF) is read through its largest embedded JPEG preview.
 */
async function openImage(bytes: Uint8Array, name: string): Promise<OpenImage> {
  if (bytes.length === 0) throw new ClipSortError('image-empty', `${name}: the file is empty.`);
  const preview = isRawName(name) ? rawPreview(bytes, name) : undefined;
  if (preview) return openDecoded(() => openWithLibvips(preview.jpeg, preview.orientation), name);
  const unsupported = unsupportedFormat(bytes);
  if (unsupported) throw new ClipSortError('image-unsupported', `${name}: ${unsupported}`);
  return openDecoded(() => (isHeif(bytes) ? openHeif(bytes, name) : openWithLibvips(bytes)), name);
}

/** Runs `open`, its failures told as messages about the file. */
async function openDecoded(open: () => Promise<OpenImage>, name: string): Promise<OpenImage> {
  try {
    return await open();
  } catch (error) {
    throw decodeError(error, name);
  }
}

/**
 * An image libvips reads, turned as its EXIF orientation says; one without an orientation tag is turned as
 * `orientation` says instead (a RAW's preview JPEG often carries none, and the RAW's own tag is meant for it).
 */
async function openWithLibvips(bytes: Uint8Array, orientation = 1): Promise<OpenImage> {
  const meta = await sharp(bytes, decodeOptions).metadata();
  const turn = meta.orientation === undefined ? orientation : 1;
  const rotated = (meta.orientation ?? turn) >= 5;
  const info = {
    format: meta.format,
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
  };
  return { info, pipeline: () => oriented(sharp(bytes, decodeOptions), turn) };
}

/**
 * A HEIF photo's pixels, turned as its EXIF orientation says unless the container rotates or mirrors it already
 * (the HEIF rule: its own transforms win, and applying both would turn the photo twice).
 */
async function openHeif(bytes: Uint8Array, name: string): Promise<OpenImage> {
  const pixels = await decodeHeif(bytes, name, MAX_INPUT_PIXELS);
  const orientation = pixels.transformed
    ? 1
    : exifOrientation(
        (
          await sharp(bytes)
            .metadata()
            .catch(() => undefined)
        )?.exif,
      );
  const { width, height } = pixels;
  const rotated = orientation >= 5;
  const info = { format: 'heif', width: rotated ? height : width, height: rotated ? width : height };
  const raw = { width, height, channels: 4 } as const;
  const pipeline = () => {
    const image = oriented(sharp(pixels.data, { raw, limitInputPixels: MAX_INPUT_PIXELS }), orientation);
    return pixels.hasAlpha ? image : image.removeAlpha();
  };
  return { info, pipeline };
}

/** `image` turned as EXIF orientation `orientation` (1–8) asks (sharp mirrors before it rotates). */
function oriented(image: Sharp, orientation: number): Sharp {
  const [angle, mirror] = ORIENTATIONS[orientation] ?? [0, undefined];
  const turned = angle ? image.rotate(angle) : image;
  return mirror === 'flop' ? turned.flop() : mirror === 'flip' ? turned.flip() : turned;
}

/** Per EXIF orientation: the clockwise turn, and the mirror made before it (`flop` left↔right, `flip` top↔bottom). */
const ORIENTATIONS: Record<number, [number, 'flip' | 'flop' | undefined]> = {
  1: [0, undefined],
  2: [0, 'flop'],
  3: [180, undefined],
  4: [0, 'flip'],
  5: [90, 'flip'],
  6: [90, undefined],
  7: [90, 'flop'],
  8: [270, undefined],
};

/** Reads the header (HEIF: decodes the photo): format and size after orientation. */
export async function readImageInfo(bytes: Uint8Array, name: string): Promise<ImageInfo> {
  return (await openImage(bytes, name)).info;
}

/** Premultiplies or unpremultiplies RGBA in place with Pillow's integer arithmetic (RGBA ↔ RGBa). */
function premultiply(image: RawImage, inverse: boolean): void {
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3]!;
    if (alpha === 255) continue;
    for (let c = 0; c < 3; c++) {
      const value = data[i + c]!;
      if (inverse) {
        data[i + c] = alpha === 0 ? 0 : Math.min(255, Math.floor((255 * value) / alpha));
      } else {
        const t = value * alpha + 128;
        data[i + c] = ((t >> 8) + t) >> 8;
      }
    }
  }
}

function dropAlpha(image: RawImage): RawImage {
  if (image.channels === 3) return image;
  const pixels = image.width * image.height;
  const data = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) data.set(image.data.subarray(i * 4, i * 4 + 3), i * 3);
  return { data, width: image.width, height: image.height, channels: 3 };
}

/**
 * Decodes `bytes` into the model's input pixels: EXIF orientation applied, embedded colour profiles ignored (as
 * the reference does), the reference resize and centre crop, alpha dropped after resampling (CLIP's order, which
 * leaves fully transparent areas black), 8-bit RGB.
 */
export async function decodeForModel(
  bytes: Uint8Array,
  spec: PreprocessSpec,
  name: string,
): Promise<RawImage> {
  const { info, pipeline } = await openImage(bytes, name);
  const target = resizedSize(info, spec.resize);
  const box = centreCropBox(target, spec.crop ?? target);
  const base = () => pipeline().keepIccProfile().toColourspace('srgb');
  try {
    if (target.width <= info.width && target.height <= info.height) {
      // Shrinking: libvips' cubic reduction matches the reference closely and decodes JPEGs at reduced scale.
      const { data, info: out } = await base()
        .resize(target.width, target.height, { fit: 'fill', kernel: 'cubic' })
        .extract(box)
        .removeAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      return { data, width: out.width, height: out.height, channels: out.channels };
    }
    // Enlarging: libvips interpolates differently from Pillow, so resample the (small) image ourselves, computing
    // only the crop (a 100000×1 strip resized whole would be 22400000×224 pixels).
    const { data, info: out } = await base()
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const rgba: RawImage = { data, width: out.width, height: out.height, channels: 4 };
    premultiply(rgba, false);
    const resized = resizeBicubic(rgba, target.width, target.height, box);
    premultiply(resized, true);
    return dropAlpha(resized);
  } catch (error) {
    throw decodeError(error, name);
  }
}

/** Output formats ClipSort writes (thumbnails, generated test images). */
export type EncodeFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

export interface EncodeOptions {
  format: EncodeFormat;
  quality?: number;
  /** Store in another colour space (e.g. CMYK JPEG, 16-bit PNG, single-channel grey). */
  colourspace?: 'srgb' | 'cmyk' | 'rgb16' | 'b-w';
  /** Write this EXIF orientation tag (1–8) without changing the pixels. */
  orientation?: number;
  /** Write the palette variant of PNG/GIF. */
  palette?: boolean;
  /** Height of one frame when `image` stacks the frames of an animation vertically. */
  pageHeight?: number;
}

/** Encodes interleaved 8-bit pixels into an image file's bytes. */
export async function encodeImage(image: RawImage, options: EncodeOptions): Promise<Buffer> {
  const { data, width, height, channels } = image;
  const raw = { width, height, channels: channels as 1 | 2 | 3 | 4, pageHeight: options.pageHeight };
  let pipeline = sharp(data, { raw });
  if (options.colourspace) pipeline = pipeline.toColourspace(options.colourspace);
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  const { format, quality, palette } = options;
  return pipeline.toFormat(format, { quality, palette }).toBuffer();
}

/**
 * A small WebP preview of an image file's bytes, at most `size` pixels on its longer side (never enlarged),
 * EXIF orientation applied, in sRGB. Decoded with the same limits as classification input.
 */
export async function thumbnail(bytes: Uint8Array, size: number, name: string): Promise<Buffer> {
  const { pipeline } = await openImage(bytes, name);
  try {
    return await pipeline()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .webp({ quality: 80 })
      .toBuffer();
  } catch (error) {
    throw decodeError(error, name);
  }
}
