/**
 * The directory structure of TIFF-based files (most cameras' RAWs, and the EXIF block of a JPEG), read from
 * untrusted bytes. Every read is bounds-checked, and the walk is capped (directories, entries, sub-directories) and
 * stops at cycles, so a hostile file costs little and ends in a note, never in an out-of-range read or a loop.
 */

/** A read beyond the end of the bytes: the file is cut short, or an offset in it is wrong. */
export class CutShort extends Error {}

/** Structure that is inside the file but makes no sense (absurd counts): noted, and walked past. */
export class Malformed extends Error {}

/** Caps no camera comes near: a few directories of a few hundred entries, a handful of previews. */
const MAX_IFDS = 64;
const MAX_ENTRIES = 1024;
const MAX_SUB_IFDS = 32;
const MAX_DEPTH = 4;

export const TAG = {
  jpgFromRaw: 0x002e,
  compression: 0x0103,
  stripOffsets: 0x0111,
  orientation: 0x0112,
  stripByteCounts: 0x0117,
  subIfds: 0x014a,
  jpegOffset: 0x0201,
  jpegLength: 0x0202,
} as const;

/** Bytes per value of each TIFF field type (1–13); others are unknown and never read. */
const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

export interface TiffEntry {
  type: number;
  count: number;
  /** Where the value is: inside the entry when it fits in four bytes, else where the entry points. */
  valueAt: number;
}

export interface Ifd {
  offset: number;
  entries: Map<number, TiffEntry>;
}

/** Bounds-checked integer reads in one byte order. */
export class TiffReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly little: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws CutShort unless `size` bytes from `at` are inside the file. */
  need(at: number, size: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || size < 0 || at + size > this.bytes.length) {
      throw new CutShort(`${what} lies past the end of the file`);
    }
  }

  u16(at: number, what = 'a value'): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, this.little);
  }

  u32(at: number, what = 'a value'): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, this.little);
  }

  /** The directory at `offset`: its entries (the first of each tag) and the offset of the next one (0: none). */
  readIfd(offset: number): { ifd: Ifd; next: number } {
    const count = this.u16(offset, 'a directory');
    if (count > MAX_ENTRIES) throw new Malformed(`a directory claims ${count} entries`);
    this.need(offset + 2, count * 12 + 4, 'a directory');
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = this.u16(at);
      const type = this.u16(at + 2);
      const size = TYPE_SIZES[type];
      if (size === undefined || entries.has(tag)) continue;
      const valueCount = this.u32(at + 4);
      const inline = valueCount * size <= 4;
      entries.set(tag, { type, count: valueCount, valueAt: inline ? at + 8 : this.u32(at + 8) });
    }
    return { ifd: { offset, entries }, next: this.u32(offset + 2 + count * 12) };
  }

  /** Up to `max` integer values of an entry (BYTE, SHORT, LONG or IFD typed), or [] for any other type. */
  integers(entry: TiffEntry | undefined, max: number): number[] {
    if (!entry) return [];
    const read = INTEGER_READS[entry.type];
    if (!read) return [];
    const size = TYPE_SIZES[entry.type]!;
    const count = Math.min(entry.count, max);
    this.need(entry.valueAt, count * size, 'a tag value');
    return Array.from({ length: count }, (_, i) => read(this, entry.valueAt + i * size));
  }

  /** The first integer value of an entry, if it has one. */
  integer(entry: TiffEntry | undefined): number | undefined {
    return this.integers(entry, 1)[0];
  }
}

const INTEGER_READS: Record<number, (reader: TiffReader, at: number) => number> = {
  1: (r, at) => r.bytes[at]!,
  3: (r, at) => r.u16(at),
  4: (r, at) => r.u32(at),
  13: (r, at) => r.u32(at),
};

/** Byte-order marks, and the magic numbers after them: TIFF's 42, Olympus' `RO`/`RS`, Panasonic's 0x55. */
const MAGIC = new Set([42, 0x4f52, 0x5352, 0x55]);

/** A reader over TIFF-structured `bytes` and the offset of their first directory, or undefined if they are not. */
export function openTiff(
  bytes: Uint8Array,
): { reader: TiffReader; first: number; magic: number } | undefined {
  if (bytes.length < 8) return undefined;
  const order = (bytes[0]! << 8) | bytes[1]!;
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const reader = new TiffReader(bytes, order === 0x4949);
  const magic = reader.u16(2);
  if (!MAGIC.has(magic)) return undefined;
  return { reader, first: reader.u32(4), magic };
}

export interface IfdWalk {
  /** IFD0 first, then the rest in the order found. */
  ifds: Ifd[];
  /** Why parts of the structure were passed over (a cycle, a directory that makes no sense). */
  problems: string[];
}

/**
 * Every directory reachable from the first: the next-directory chain and SubIFDs (to depth 4), each visited once.
 * A read past the end of the file throws CutShort; structure that makes no sense is noted in `problems`.
 */
export function walkIfds(reader: TiffReader, first: number): IfdWalk {
  const walk: IfdWalk = { ifds: [], problems: [] };
  const seen = new Set<number>();
  const pending: { offset: number; depth: number }[] = [{ offset: first, depth: 0 }];
  while (pending.length > 0) {
    const { offset, depth } = pending.shift()!;
    if (offset === 0) continue;
    if (seen.has(offset)) {
      walk.problems.push('its directories point back at each other');
      continue;
    }
    if (seen.size >= MAX_IFDS) {
      walk.problems.push(`it has more than ${MAX_IFDS} directories`);
      break;
    }
    seen.add(offset);
    try {
      const { ifd, next } = reader.readIfd(offset);
      walk.ifds.push(ifd);
      pending.push({ offset: next, depth });
      if (depth < MAX_DEPTH) {
        const subs = reader.integers(ifd.entries.get(TAG.subIfds), MAX_SUB_IFDS);
        pending.push(...subs.map((sub) => ({ offset: sub, depth: depth + 1 })));
      }
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
      walk.problems.push(error.message);
    }
  }
  return walk;
}
