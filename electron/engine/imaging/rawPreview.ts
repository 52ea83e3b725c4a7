/**
 * Cameras' RAW files, read through the largest JPEG preview they embed: every camera writes one (most at full or
 * near-full size), and it is what the camera showed, so classifying it needs no demosaicing. The containers are
 * parsed here by hand from untrusted bytes: TIFF-based RAWs (DNG, CR2, NEF, ARW, PEF, SRW, ORF, RW2), Fujifilm's
 * RAF and Canon's CR3 (ISO-BMFF). The sensor data itself (lossless JPEG in DNG and CR2) is never taken.
 */
import { ClipSortError } from '../errors.js';
import { CutShort, Malformed, openTiff, TAG, TiffReader, walkIfds, type Ifd } from './tiffStructure.js';

export interface RawPreview {
  /** The preview's bytes: a baseline or progressive JPEG. */
  jpeg: Uint8Array;
  /** The RAW's own orientation (1–8), for a preview that carries none of its own. */
  orientation: number;
}

/** What a container holds: the previews it points at (inside the file), and why parts of it were passed over. */
interface Contents {
  previews: Uint8Array[];
  orientation: number;
  problems: string[];
}

/** Frame headers of JPEGs libvips decodes as pictures: baseline, extended and progressive Huffman. */
const PICTURE_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Markers in the SOF range that are not frame headers: Huffman tables, reserved, arithmetic conditioning. */
const NOT_FRAMES = new Set([0xc4, 0xc8, 0xcc]);
/** More segments before the frame header than any camera writes: the JPEG is not one. */
const MAX_SEGMENTS = 4096;

/**
 * The pixel size in the frame header of a baseline or progressive JPEG, or undefined for anything else: not a
 * JPEG, or lossless (SOF3, the sensor data of DNG and CR2), arithmetic-coded or hierarchical.
 */
export function jpegFrameSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  for (let step = 0; step < MAX_SEGMENTS && at + 4 <= bytes.length; step++) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    // Fill bytes, then markers that stand alone.
    if (marker === 0xff) at += 1;
    else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) at += 2;
    else if (marker === 0xd9 || marker === 0xda) return undefined;
    else if (marker >= 0xc0 && marker <= 0xcf && !NOT_FRAMES.has(marker)) {
      if (!PICTURE_FRAMES.has(marker) || at + 9 > bytes.length) return undefined;
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      return width > 0 && height > 0 ? { width, height } : undefined;
    } else {
      const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
      if (length < 2) return undefined;
      at += 2 + length;
    }
  }
  return undefined;
}

/** The `length` bytes at `at`, which must lie inside the file (a preview past its end means it is cut short). */
function slice(reader: TiffReader, at: number, length: number): Uint8Array {
  reader.need(at, length, 'a preview');
  return reader.bytes.subarray(at, at + length);
}

/** The previews one directory points at: a JPEG thumbnail, a JPEG-compressed single strip, RW2's JpgFromRaw. */
function ifdPreviews(reader: TiffReader, ifd: Ifd, panasonic: boolean): Uint8Array[] {
  const entry = (tag: number) => ifd.entries.get(tag);
  const previews: Uint8Array[] = [];
  const jpegAt = reader.integer(entry(TAG.jpegOffset));
  const jpegLength = reader.integer(entry(TAG.jpegLength));
  if (jpegAt && jpegLength) previews.push(slice(reader, jpegAt, jpegLength));
  const compression = reader.integer(entry(TAG.compression));
  const strips = entry(TAG.stripOffsets);
  // 6: old-style JPEG, 7: JPEG (DNG's previews, and its lossless sensor data, which the frame check refuses).
  if ((compression === 6 || compression === 7) && strips?.count === 1) {
    const stripAt = reader.integer(strips);
    const stripLength = reader.integer(entry(TAG.stripByteCounts));
    if (stripAt && stripLength) previews.push(slice(reader, stripAt, stripLength));
  }
  const blob = panasonic ? entry(TAG.jpgFromRaw) : undefined;
  if (blob && blob.count > 4 && (blob.type === 1 || blob.type === 7)) {
    previews.push(slice(reader, blob.valueAt, blob.count));
  }
  return previews;
}

/** IFD0's orientation tag, or 1 when it is missing or out of range. */
function ifdOrientation(reader: TiffReader, ifd: Ifd | undefined): number {
  const value = ifd && reader.integer(ifd.entries.get(TAG.orientation));
  return value !== undefined && value >= 1 && value <= 8 ? value : 1;
}

function tiffContents(bytes: Uint8Array): Contents | undefined {
  const tiff = openTiff(bytes);
  if (!tiff) return undefined;
  const { reader, first, magic } = tiff;
  const { ifds, problems } = walkIfds(reader, first);
  if (ifds.length === 0) problems.unshift('it has no readable directory');
  const previews = ifds.flatMap((ifd) => ifdPreviews(reader, ifd, magic === 0x55));
  return { previews, orientation: ifdOrientation(reader, ifds[0]), problems };
}

/** Fujifilm's RAF: a fixed header that gives the offset and length of the camera's JPEG. */
function rafContents(bytes: Uint8Array): Contents | undefined {
  if (Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== 'FUJIFILMCCD-RAW ') return undefined;
  const reader = new TiffReader(bytes, false);
  const [at, length] = [reader.u32(84, 'the header'), reader.u32(88, 'the header')];
  const previews = at && length ? [slice(reader, at, length)] : [];
  return { previews, orientation: 1, problems: [] };
}

interface Box {
  type: string;
  /** Where the box's content starts and ends. */
  start: number;
  end: number;
}

/** More boxes in one parent than a CR3 has: the rest are not read. */
const MAX_BOXES = 256;

/** The boxes between `from` and `to`; one that runs past `to` is the file cut short. */
function boxesIn(reader: TiffReader, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to && boxes.length < MAX_BOXES) {
    let size = reader.u32(at, 'a box');
    let header = 8;
    if (size === 1) {
      size = reader.u32(at + 8, 'a box') * 2 ** 32 + reader.u32(at + 12, 'a box');
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header) break;
    if (at + size > to) throw new CutShort('a box lies past the end of the file');
    const type = Buffer.from(reader.bytes.subarray(at + 4, at + 8)).toString('latin1');
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

const uuidOf = (reader: TiffReader, box: Box) =>
  box.end - box.start >= 16
    ? Buffer.from(reader.bytes.subarray(box.start, box.start + 16)).toString('hex')
    : '';

/** Canon's uuid boxes: metadata (CMT1–4, THMB) inside `moov`, and the preview (PRVW) after it. */
const CANON_METADATA = '85c0b687820f11e08111f4ce462b6a48';
const CANON_PREVIEW = 'eaf42b5e1c984b88b9fbb7dc406e4d16';

/** The JPEG in a THMB or PRVW box: it starts within the box's first bytes (after a small header), and runs to its end. */
function jpegInBox(reader: TiffReader, box: Box): Uint8Array | undefined {
  for (let at = box.start; at + 3 <= Math.min(box.end, box.start + 32); at++) {
    const b = reader.bytes;
    if (b[at] === 0xff && b[at + 1] === 0xd8 && b[at + 2] === 0xff) return b.subarray(at, box.end);
  }
  return undefined;
}

/** Canon's CR3: previews in THMB (metadata uuid box) and PRVW (preview uuid box), orientation in CMT1's IFD0. */
function cr3Contents(bytes: Uint8Array): Contents | undefined {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes.length < 12 || ascii(4, 12) !== 'ftypcrx ') return undefined;
  const reader = new TiffReader(bytes, false);
  const top = boxesIn(reader, 0, bytes.length);
  const moov = top.find((box) => box.type === 'moov');
  const uuids = [...top, ...(moov ? boxesIn(reader, moov.start, moov.end) : [])].filter(
    (box) => box.type === 'uuid',
  );
  const previews: Uint8Array[] = [];
  let orientation = 1;
  for (const uuid of uuids) {
    const id = uuidOf(reader, uuid);
    // The preview box has eight bytes (version and count) between its uuid and PRVW.
    const skip = id === CANON_PREVIEW ? 24 : id === CANON_METADATA ? 16 : undefined;
    if (skip === undefined || uuid.start + skip > uuid.end) continue;
    for (const box of boxesIn(reader, uuid.start + skip, uuid.end)) {
      const jpeg = box.type === 'PRVW' || box.type === 'THMB' ? jpegInBox(reader, box) : undefined;
      if (jpeg) previews.push(jpeg);
      if (box.type === 'CMT1') orientation = cmt1Orientation(bytes.subarray(box.start, box.end));
    }
  }
  return { previews, orientation, problems: [] };
}

/** The orientation in CMT1, a TIFF header and IFD0 of its own; 1 if it is unreadable. */
function cmt1Orientation(bytes: Uint8Array): number {
  const tiff = openTiff(bytes);
  try {
    return tiff ? ifdOrientation(tiff.reader, tiff.reader.readIfd(tiff.first).ifd) : 1;
  } catch (error) {
    if (error instanceof CutShort || error instanceof Malformed) return 1;
    throw error;
  }
}

const CONTAINERS = [tiffContents, rafContents, cr3Contents];

const unreadable = (name: string) =>
  new ClipSortError(
    'image-unsupported',
    `${name}: this RAW file has no embedded JPEG preview ClipSort can read; export a JPEG from your RAW editor to sort it.`,
  );

const damaged = (name: string, why: string, cause?: unknown) =>
  new ClipSortError('image-corrupt', `${name}: the RAW file is truncated or damaged (${why}).`, { cause });

/**
 * The largest picture among the JPEG previews of the RAW file `bytes` (by pixel area, then by size), or undefined
 * when the bytes are in no RAW container ClipSort knows (then they are read as what they are: a JPEG named
 * `.nef` is a JPEG). Throws `image-corrupt` for a file cut short or damaged, `image-unsupported` for one with no
 * usable preview.
 */
export function rawPreview(bytes: Uint8Array, name: string): RawPreview | undefined {
  let contents: Contents | undefined;
  try {
    contents = CONTAINERS.reduce<Contents | undefined>((found, read) => found ?? read(bytes), undefined);
  } catch (error) {
    if (error instanceof CutShort) throw damaged(name, `${error.message}; it may still be copying`, error);
    throw error;
  }
  if (!contents) return undefined;
  let best: { jpeg: Uint8Array; area: number } | undefined;
  for (const jpeg of contents.previews) {
    const size = jpegFrameSize(jpeg);
    if (!size) continue;
    const area = size.width * size.height;
    if (!best || area > best.area || (area === best.area && jpeg.length > best.jpeg.length)) {
      best = { jpeg, area };
    }
  }
  if (best) return { jpeg: best.jpeg, orientation: contents.orientation };
  if (contents.problems.length > 0) throw damaged(name, contents.problems[0]!);
  throw unreadable(name);
}
