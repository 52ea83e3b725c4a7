/**
 * HEIC/HEIF photos (every iPhone since 2017). sharp's prebuilt libvips reads HEIF containers but has no HEVC
 * decoder, so the pixels come from libheif built as WebAssembly (libheif-js): no system library, and it runs in the
 * decoder process like every other format. libheif applies the container's rotation and mirror (`irot`, `imir`);
 * the primary image is decoded to 8-bit RGBA (10-bit photos are reduced).
 */
import { createRequire } from 'node:module';
import { ClipSortError, errorMessage } from '../errors.js';

/** The part of libheif-js's API used here (the package ships no types for its entry points). */
interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  has_alpha_channel(): boolean;
  display(
    target: { data: Uint8ClampedArray; width: number; height: number },
    done: (result: { data: Uint8ClampedArray } | null) => void,
  ): void;
  free(): void;
}
interface HeifModule {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] };
}

let heif: HeifModule | undefined;
/** Loaded on the first HEIF file: about 2 MB of WebAssembly a library of JPEGs never needs. */
const libheif = (): HeifModule =>
  (heif ??= createRequire(import.meta.url)('libheif-js/wasm-bundle') as HeifModule);

/** A decoded HEIF photo: interleaved RGBA, after the container's rotation and mirror. */
export interface HeifPixels {
  data: Uint8Array;
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Whether the container rotates or mirrors the image (then its EXIF orientation must not be applied again). */
  transformed: boolean;
}

/** Brands of HEIF files whose images are HEVC-coded (AVIF, AV1 in the same container, is sharp's). */
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);

/**
 * Whether `bytes` are a HEVC-coded HEIF file: its `ftyp` box names a HEVC brand, as its major brand or a
 * compatible one (a file may lead with the generic `mif1`).
 */
export function isHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || Buffer.from(bytes.subarray(4, 8)).toString('latin1') !== 'ftyp') return false;
  const size = Math.min(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), bytes.length);
  for (let at = 8; at + 4 <= size; at += at === 8 ? 8 : 4) {
    // The major brand, then (past the minor version) the compatible brands.
    if (HEVC_BRANDS.has(Buffer.from(bytes.subarray(at, at + 4)).toString('latin1'))) return true;
  }
  return false;
}

const corrupt = (name: string, why: string, cause?: unknown) =>
  new ClipSortError('image-corrupt', `${name}: the HEIC image is damaged and cannot be decoded (${why}).`, {
    cause,
  });

/** Decodes the primary image of a HEIF file, refusing one of more than `maxPixels` before decoding it. */
export async function decodeHeif(bytes: Uint8Array, name: string, maxPixels: number): Promise<HeifPixels> {
  let images: HeifImage[];
  try {
    images = new (libheif().HeifDecoder)().decode(bytes);
  } catch (error) {
    throw corrupt(name, errorMessage(error).split('\n')[0] ?? 'unreadable', error);
  }
  try {
    const primary = images.find((image) => image.is_primary()) ?? images[0];
    if (!primary) throw corrupt(name, 'it holds no image, or its data is cut short');
    const [width, height] = [primary.get_width(), primary.get_height()];
    if (width * height > maxPixels) {
      throw new ClipSortError(
        'image-too-large',
        `${name}: the image is larger than ${maxPixels / 1e6} megapixels, so it is not decoded (it may be a decompression bomb).`,
      );
    }
    const target = { data: new Uint8ClampedArray(width * height * 4), width, height };
    const shown = await new Promise<{ data: Uint8ClampedArray } | null>((resolve) =>
      primary.display(target, resolve),
    );
    if (!shown) throw corrupt(name, 'its image data could not be decoded');
    const data = new Uint8Array(shown.data.buffer, shown.data.byteOffset, shown.data.byteLength);
    return { data, width, height, hasAlpha: primary.has_alpha_channel(), transformed: hasTransforms(bytes) };
  } finally {
    for (const image of images) image.free();
  }
}

/**
 * Whether the file's item properties (`meta` › `iprp` › `ipco`) include a rotation or mirror. Only the boxes'
 * headers are read, so no image data is mistaken for one.
 */
export function hasTransforms(bytes: Uint8Array): boolean {
  const meta = childBox(bytes, 0, bytes.length, 'meta');
  // `meta` is a full box: four bytes of version and flags before its children.
  const iprp = meta && childBox(bytes, meta.start + 4, meta.end, 'iprp');
  const ipco = iprp && childBox(bytes, iprp.start, iprp.end, 'ipco');
  if (!ipco) return false;
  return boxesIn(bytes, ipco.start, ipco.end).some((box) => box.type === 'irot' || box.type === 'imir');
}

interface Box {
  type: string;
  /** Where its content starts and ends. */
  start: number;
  end: number;
}

function childBox(bytes: Uint8Array, from: number, to: number, type: string): Box | undefined {
  return boxesIn(bytes, from, to).find((box) => box.type === type);
}

/** The boxes between `from` and `to`, stopping at the first malformed size. */
function boxesIn(bytes: Uint8Array, from: number, to: number): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    const type = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}
