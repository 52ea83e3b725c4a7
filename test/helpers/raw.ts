/**
 * Cameras' RAW files for tests, laid out as each camera does in the parts ClipSort reads: directories first, then
 * a small thumbnail, a larger preview and the sensor data (a lossless JPEG frame, as DNG and CR2 store it, bigger
 * than either preview so that taking it would show). The JPEGs are the caller's: real ones from `encodeImage`, or
 * header-only ones (`fakeJpeg`) for tests that only parse. No native package is used here.
 */

export const RAW_FORMATS = ['dng', 'cr2', 'nef', 'arw', 'pef', 'rw2', 'orf', 'raf', 'cr3'] as const;
export type RawFormat = (typeof RAW_FORMATS)[number];

export interface RawContent {
  /** The small JPEG a camera keeps for its screen. */
  thumbnail?: Uint8Array;
  /** The larger JPEG preview; with neither, the file has only sensor data. */
  preview?: Uint8Array;
  /** The RAW's own orientation tag (1–8); not written to RAF, whose orientation is its JPEG's. */
  orientation?: number;
}

/** A JPEG's first bytes up to its scan, with a frame header of `marker` (0xc0 baseline, 0xc3 lossless). */
function jpegHead(marker: number, width: number, height: number, components: number): Buffer {
  const frame = Buffer.alloc(10 + 3 * components);
  frame.set([0xff, marker]);
  frame.writeUInt16BE(8 + 3 * components, 2);
  frame[4] = marker === 0xc3 ? 14 : 8;
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  frame[9] = components;
  for (let c = 0; c < components; c++) frame.set([c + 1, 0x11, 0], 10 + 3 * c);
  const app0 = Buffer.from([
    0xff,
    0xe0,
    0,
    16,
    ...Buffer.from('JFIF\0', 'latin1'),
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frame]);
}

/** A JPEG's headers and made-up scan data: enough for a parser, not for a decoder. */
export function fakeJpeg(width: number, height: number, dataLength = 256): Buffer {
  const scan = Buffer.alloc(dataLength, 0x5a);
  return Buffer.concat([jpegHead(0xc0, width, height, 3), scan, Buffer.from([0xff, 0xd9])]);
}

/** Sensor data as DNG and CR2 store it: a lossless (SOF3) JPEG frame of `width`×`height`. */
export function losslessJpeg(width = 6000, height = 4000, dataLength = 4096): Buffer {
  const scan = Buffer.from(Array.from({ length: dataLength }, (_, i) => (i * 37 + 11) % 255));
  return Buffer.concat([jpegHead(0xc3, width, height, 2), scan, Buffer.from([0xff, 0xd9])]);
}

/** One directory: which of the file's parts it points at, and how. */
export interface IfdSpec {
  /** A JPEG through JPEGInterchangeFormat (0x201) and its length (0x202). */
  jpeg?: Uint8Array;
  /** One strip, with this Compression (6 or 7 for JPEG; 34713 and others for a maker's own). */
  strip?: { bytes: Uint8Array; compression: number };
  orientation?: number;
  subIfds?: IfdSpec[];
  /** Panasonic's JpgFromRaw (0x2e), an UNDEFINED blob holding a JPEG. */
  jpgFromRaw?: Uint8Array;
}

/** What an offset points at: data, or a directory. */
type Target = Uint8Array | IfdSpec;

interface Field {
  tag: number;
  type: number;
  count: number;
  /** The value, in the file's byte order: in the entry when it fits in four bytes, else after the directory. */
  data: Buffer;
  /** Offsets inside `data` that are filled in once their target is written. */
  later: { at: number; target: Target }[];
}

/** A growable buffer that can be patched: directories are written before the data they point at. */
class Writer {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;
  /** Offsets in the file still to fill in, at `site`, with where `target` is written. */
  readonly jobs: { site: number; target: Target }[] = [];

  constructor(readonly little: boolean) {}

  /** Appends `bytes` at an even offset (TIFF's word boundary) and returns where. */
  append(bytes: Uint8Array): number {
    if (this.length % 2) this.length++;
    const at = this.length;
    while (this.buffer.length < at + bytes.length) this.buffer = Buffer.concat([this.buffer, this.buffer]);
    this.buffer.set(bytes, at);
    this.length = at + bytes.length;
    return at;
  }

  set(at: number, bytes: Uint8Array) {
    this.buffer.set(bytes, at);
  }

  u16(at: number, value: number) {
    if (this.little) this.buffer.writeUInt16LE(value, at);
    else this.buffer.writeUInt16BE(value, at);
  }

  u32(at: number, value: number) {
    if (this.little) this.buffer.writeUInt32LE(value, at);
    else this.buffer.writeUInt32BE(value, at);
  }

  result(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

function numbers(writer: Writer, type: number, values: number[]): Buffer {
  const size = type === 3 ? 2 : 4;
  const data = Buffer.alloc(values.length * size);
  for (const [i, value] of values.entries()) {
    if (size === 2) data[writer.little ? 'writeUInt16LE' : 'writeUInt16BE'](value, i * 2);
    else data[writer.little ? 'writeUInt32LE' : 'writeUInt32BE'](value, i * 4);
  }
  return data;
}

function fieldsOf(writer: Writer, spec: IfdSpec): Field[] {
  const plain = (tag: number, type: number, values: number[]): Field => ({
    tag,
    type,
    count: values.length,
    data: numbers(writer, type, values),
    later: [],
  });
  const pointer = (tag: number, target: Uint8Array): Field => ({
    ...plain(tag, 4, [0]),
    later: [{ at: 0, target }],
  });
  const fields: Field[] = [];
  if (spec.strip) {
    fields.push(plain(0x0103, 3, [spec.strip.compression]), pointer(0x0111, spec.strip.bytes));
    fields.push(plain(0x0117, 4, [spec.strip.bytes.length]));
  }
  if (spec.orientation) fields.push(plain(0x0112, 3, [spec.orientation]));
  if (spec.subIfds) {
    const subs = spec.subIfds;
    fields.push({
      ...plain(
        0x014a,
        4,
        subs.map(() => 0),
      ),
      later: subs.map((target, i) => ({ at: i * 4, target })),
    });
  }
  if (spec.jpeg) fields.push(pointer(0x0201, spec.jpeg), plain(0x0202, 4, [spec.jpeg.length]));
  if (spec.jpgFromRaw) {
    const blob = spec.jpgFromRaw;
    fields.push({
      tag: 0x002e,
      type: 7,
      count: blob.length,
      data: Buffer.alloc(4),
      later: [{ at: 0, target: blob }],
    });
  }
  return fields.sort((a, b) => a.tag - b.tag);
}

/** Writes one directory (its out-of-line values after it) and returns where it is and where its next link is. */
function writeIfd(writer: Writer, spec: IfdSpec): { at: number; nextSite: number } {
  const fields = fieldsOf(writer, spec);
  const at = writer.append(Buffer.alloc(2 + fields.length * 12 + 4));
  writer.u16(at, fields.length);
  for (const [i, field] of fields.entries()) {
    const entry = at + 2 + i * 12;
    writer.u16(entry, field.tag);
    writer.u16(entry + 2, field.type);
    writer.u32(entry + 4, field.count);
    let valueAt = entry + 8;
    if (field.data.length <= 4) writer.set(entry + 8, field.data);
    else writer.u32(entry + 8, (valueAt = writer.append(field.data)));
    for (const { at: offset, target } of field.later) writer.jobs.push({ site: valueAt + offset, target });
  }
  return { at, nextSite: at + 2 + fields.length * 12 };
}

/**
 * A TIFF-structured file: `header` (byte order, magic, then IFD0's offset at byte 4, patched here), the chain of
 * `ifds`, their SubIFDs, then the data they point at.
 */
export function tiffFile(header: Uint8Array, ifds: IfdSpec[]): Buffer {
  const writer = new Writer(header[0] === 0x49);
  writer.append(header);
  let link = 4;
  for (const spec of ifds) {
    const { at, nextSite } = writeIfd(writer, spec);
    writer.u32(link, at);
    link = nextSite;
  }
  // Directories before data, as cameras write them: SubIFDs (which may add jobs) first, then the data.
  const isIfd = (job: { target: Target }) => !(job.target instanceof Uint8Array);
  for (let job = writer.jobs.find(isIfd); job; job = writer.jobs.find(isIfd)) {
    writer.jobs.splice(writer.jobs.indexOf(job), 1);
    writer.u32(job.site, writeIfd(writer, job.target as IfdSpec).at);
  }
  for (const job of writer.jobs.splice(0)) writer.u32(job.site, writer.append(job.target as Uint8Array));
  return writer.result();
}

const header = (text: string, little: boolean, magic: number, extra = Buffer.alloc(0)) => {
  const bytes = Buffer.alloc(8);
  bytes.write(text, 0, 'latin1');
  if (little) bytes.writeUInt16LE(magic, 2);
  else bytes.writeUInt16BE(magic, 2);
  return Buffer.concat([bytes, extra]);
};

const II = header('II', true, 42);
const MM = header('MM', false, 42);

/** The directories of each TIFF-based format, as its cameras lay them out. */
function tiffLayout(format: RawFormat, { thumbnail, preview, orientation }: RawContent): Buffer {
  const raw = { bytes: losslessJpeg(), compression: 7 };
  const thumbStrip = thumbnail && { bytes: thumbnail, compression: format === 'dng' ? 7 : 6 };
  const previewStrip = preview && { bytes: preview, compression: 7 };
  switch (format) {
    case 'dng':
      // A thumbnail in IFD0, the sensor data and the preview in SubIFDs.
      return tiffFile(II, [
        {
          strip: thumbStrip,
          orientation,
          subIfds: [{ strip: raw }, ...(preview ? [{ strip: previewStrip }] : [])],
        },
      ]);
    case 'cr2':
      // The preview in IFD0's strip, the thumbnail in IFD1, the sensor data in IFD3.
      return tiffFile(header('II', true, 42, Buffer.from('CR\x02\0\0\0\0\0', 'latin1')), [
        { strip: preview && { bytes: preview, compression: 6 }, orientation },
        { jpeg: thumbnail },
        {},
        { strip: { ...raw, compression: 6 } },
      ]);
    case 'nef':
    case 'pef':
      return tiffFile(MM, [{ strip: thumbStrip, orientation, subIfds: [{ jpeg: preview }, { strip: raw }] }]);
    case 'arw':
      return tiffFile(II, [{ jpeg: preview, orientation, subIfds: [{ strip: raw }] }, { jpeg: thumbnail }]);
    case 'rw2':
      return tiffFile(header('IIU', true, 0x55), [
        { jpgFromRaw: preview, orientation, strip: { ...raw, compression: 34316 } },
        { jpeg: thumbnail },
      ]);
    case 'orf':
      return tiffFile(Buffer.from('IIRO\x08\0\0\0', 'latin1'), [
        { jpeg: thumbnail, orientation, strip: { ...raw, compression: 1 }, subIfds: [{ jpeg: preview }] },
      ]);
    default:
      throw new Error(`${format} is not TIFF-based`);
  }
}

/** Fujifilm's RAF: a fixed 160-byte header pointing at the JPEG (offset and length at bytes 84 and 88). */
function rafFile({ thumbnail, preview }: RawContent): Buffer {
  const jpeg = preview ?? thumbnail ?? Buffer.alloc(0);
  const raw = losslessJpeg();
  const head = Buffer.alloc(160);
  head.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
  head.write('X-T5', 28, 'latin1');
  head.writeUInt32BE(jpeg.length ? 160 : 0, 84);
  head.writeUInt32BE(jpeg.length, 88);
  head.writeUInt32BE(160 + jpeg.length, 100);
  head.writeUInt32BE(raw.length, 104);
  return Buffer.concat([head, jpeg, raw]);
}

/** An ISO-BMFF box: size, type, content. */
export function box(type: string, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

const uuid = (hex: string) => Buffer.from(hex.replace(/-/g, ''), 'hex');
export const CR3_METADATA_UUID = '85c0b687-820f-11e0-8111-f4ce462b6a48';
export const CR3_PREVIEW_UUID = 'eaf42b5e-1c98-4b88-b9fb-b7dc406e4d16';

/** The 16 bytes before a JPEG in THMB and PRVW: width, height and the JPEG's length among them. */
function imageBoxHeader(jpeg: Uint8Array): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(160, 6);
  head.writeUInt16BE(120, 8);
  head.writeUInt16BE(1, 10);
  head.writeUInt32BE(jpeg.length, 12);
  return head;
}

/** Canon's CR3: THMB and CMT1 (orientation) in moov's metadata uuid box, PRVW in the preview uuid box after it. */
function cr3File({ thumbnail, preview, orientation }: RawContent): Buffer {
  const cmt1 = tiffFile(II, [{ orientation: orientation ?? 1 }]);
  const metadata = [box('CNCV', Buffer.from('CanonCR3_001/00.09.00/00.00.00')), box('CMT1', cmt1)];
  if (thumbnail) metadata.push(box('THMB', imageBoxHeader(thumbnail), thumbnail));
  const moov = box('moov', box('uuid', uuid(CR3_METADATA_UUID), ...metadata), box('mvhd', Buffer.alloc(100)));
  const previewBox = preview ? [box('PRVW', imageBoxHeader(preview), preview)] : [];
  return Buffer.concat([
    box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1')),
    moov,
    box('uuid', uuid(CR3_PREVIEW_UUID), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), ...previewBox),
    box('mdat', losslessJpeg()),
  ]);
}

/** A RAW file of `format` holding `content` (and always sensor data). */
export function rawFile(format: RawFormat, content: RawContent): Buffer {
  if (format === 'raf') return rafFile(content);
  if (format === 'cr3') return cr3File(content);
  return tiffLayout(format, content);
}

const readIfd0 = (file: Buffer) => (file[0] === 0x49 ? file.readUInt32LE(4) : file.readUInt32BE(4));

/** `file` (TIFF-based) with IFD0's next link pointing back at IFD0: a directory cycle. */
export function withIfdCycle(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  const little = copy[0] === 0x49;
  const ifd0 = readIfd0(copy);
  const count = little ? copy.readUInt16LE(ifd0) : copy.readUInt16BE(ifd0);
  if (little) copy.writeUInt32LE(ifd0, ifd0 + 2 + count * 12);
  else copy.writeUInt32BE(ifd0, ifd0 + 2 + count * 12);
  return copy;
}

/** `file` (TIFF-based) with its header pointing IFD0 at `offset`. */
export function withIfd0At(file: Buffer, offset: number): Buffer {
  const copy = Buffer.from(file);
  if (copy[0] === 0x49) copy.writeUInt32LE(offset, 4);
  else copy.writeUInt32BE(offset, 4);
  return copy;
}
