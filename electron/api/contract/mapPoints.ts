/**
 * The map's points as they cross the wire: 16 bytes each, little-endian, so that a library of 100,000 images
 * is 1.6 MB rather than the 15 MB the same points take as JSON objects, and the page reads them without
 * parsing text. A record is
 *
 *   0  float32  x
 *   4  float32  y
 *   8  uint16   kind (top 2 bits) and folder class + 1 (0: none)
 *  10  uint16   predicted class + 1 (0: none)
 *  12  uint16   score, on the range `scores` of this answer (0xffff: none)
 *  14  uint16   margin, on the range `margins` (0xffff: none)
 *
 * Class numbers index `classes`. Scores and margins are scaled onto their own range in this answer, so their
 * step is (max − min) / 65534 whatever the mode's scale (cosines, probabilities): about 1e-5 for a real
 * library, far below the three decimals the page shows. The file names travel apart from the points (see
 * `map.points`), because they change far less often than the projection shown.
 */

export const MAP_POINT_BYTES = 16;
/** Where an image lies: waiting in `Images/`, a reference in `Classes/`, or sorted into `Dataset/`. */
export const POINT_KINDS = ['inbox', 'reference', 'sorted'] as const;
export type PointKind = (typeof POINT_KINDS)[number];
/** Classes one answer can name: the 14 bits the kind leaves. */
export const MAX_MAP_CLASSES = (1 << 14) - 1;

export interface MapPoint {
  file: string;
  kind: PointKind;
  /** The class its folder gives it (references and sorted images), or null for the inbox. */
  class: string | null;
  /** The class the current mode ranks first, with its score and lead over the runner-up (null: no classes). */
  predicted: string | null;
  score: number | null;
  margin: number | null;
  x: number;
  y: number;
}

/** The points of `map.points` without their file names. */
export interface PackedMapPoints {
  points: Uint8Array<ArrayBuffer>;
  /** The class names the records number. */
  classes: string[];
  /** [min, max] of the scores, or null when no point has one. */
  scores: [number, number] | null;
  /** [min, max] of the margins, or null when no point has one. */
  margins: [number, number] | null;
}

const NONE = 0xffff;
const STEPS = NONE - 1;

function rangeOf(values: Iterable<number | null>): [number, number] | null {
  let [low, high] = [Infinity, -Infinity];
  for (const value of values) {
    if (value === null) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low <= high ? [low, high] : null;
}

const quantise = (value: number | null, range: [number, number] | null) =>
  value === null || range === null || range[1] === range[0]
    ? value === null
      ? NONE
      : 0
    : Math.round(((value - range[0]) / (range[1] - range[0])) * STEPS);

const restore = (code: number, range: [number, number] | null) =>
  code === NONE || range === null ? null : range[0] + (code / STEPS) * (range[1] - range[0]);

/** Packs points (their files left out) into records. */
export function packMapPoints(points: readonly Omit<MapPoint, 'file'>[]): PackedMapPoints {
  const classes: string[] = [];
  const numbers = new Map<string, number>();
  const numberOf = (name: string | null) => {
    if (name === null) return 0;
    let n = numbers.get(name);
    if (n === undefined) {
      if (classes.length >= MAX_MAP_CLASSES) throw new RangeError(`more than ${MAX_MAP_CLASSES} classes`);
      n = classes.push(name);
      numbers.set(name, n);
    }
    return n;
  };
  const scores = rangeOf(points.map((p) => p.score));
  const margins = rangeOf(points.map((p) => p.margin));
  const bytes = new Uint8Array(points.length * MAP_POINT_BYTES);
  const view = new DataView(bytes.buffer);
  points.forEach((point, i) => {
    const at = i * MAP_POINT_BYTES;
    view.setFloat32(at, point.x, true);
    view.setFloat32(at + 4, point.y, true);
    view.setUint16(at + 8, (POINT_KINDS.indexOf(point.kind) << 14) | numberOf(point.class), true);
    view.setUint16(at + 10, numberOf(point.predicted), true);
    view.setUint16(at + 12, quantise(point.score, scores), true);
    view.setUint16(at + 14, quantise(point.margin, margins), true);
  });
  return { points: bytes, classes, scores, margins };
}

/** The points back, with `files[i]` the file of record i. */
export function unpackMapPoints(packed: PackedMapPoints, files: readonly string[]): MapPoint[] {
  const { points: bytes, classes, scores, margins } = packed;
  const count = bytes.byteLength / MAP_POINT_BYTES;
  if (!Number.isInteger(count) || count !== files.length) {
    throw new RangeError(`${bytes.byteLength} bytes of points do not fit ${files.length} files`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameOf = (n: number) => (n === 0 ? null : (classes[n - 1] ?? null));
  return files.map((file, i) => {
    const at = i * MAP_POINT_BYTES;
    const place = view.getUint16(at + 8, true);
    return {
      file,
      kind: POINT_KINDS[place >> 14] ?? 'inbox',
      class: nameOf(place & MAX_MAP_CLASSES),
      predicted: nameOf(view.getUint16(at + 10, true)),
      score: restore(view.getUint16(at + 12, true), scores),
      margin: restore(view.getUint16(at + 14, true), margins),
      x: view.getFloat32(at, true),
      y: view.getFloat32(at + 4, true),
    };
  });
}
