import { describe, expect, it } from 'vitest';
import {
  MAP_POINT_BYTES,
  MAX_MAP_CLASSES,
  packMapPoints,
  unpackMapPoints,
  type MapPoint,
} from '../../electron/api/contract/mapPoints.js';
import { decodeFrame, encodeMessage } from '../../electron/api/transports/frames.js';
import { random } from '../helpers/images.js';

/** Points of every kind, with and without classes and predictions, at random places. */
function randomPoints(count: number, seed: number): MapPoint[] {
  const next = random(seed);
  const classes = ['cats', 'dogs', 'perros ñandú', 'Ünïcode 🐕'];
  return Array.from({ length: count }, (_, i) => {
    const kind = (['inbox', 'reference', 'sorted'] as const)[i % 3]!;
    const ranked = next() < 0.8;
    return {
      file: `${kind}/${i}.jpg`,
      kind,
      class: kind === 'inbox' ? null : classes[Math.floor(next() * classes.length)]!,
      predicted: ranked ? classes[Math.floor(next() * classes.length)]! : null,
      score: ranked ? 0.15 + 0.2 * next() : null,
      margin: ranked ? 0.05 * next() : null,
      x: (next() - 0.5) * 1e3,
      y: (next() - 0.5) * 1e-3,
    };
  });
}

describe('map points as 16-byte records', () => {
  it('round-trips kinds, classes and positions exactly, and scores within one step of their range', () => {
    const points = randomPoints(500, 3);
    const packed = packMapPoints(points);
    expect(packed.points.byteLength).toBe(points.length * MAP_POINT_BYTES);
    const back = unpackMapPoints(
      packed,
      points.map((p) => p.file),
    );
    const scoreStep = (packed.scores![1] - packed.scores![0]) / 65534;
    const marginStep = (packed.margins![1] - packed.margins![0]) / 65534;
    back.forEach((point, i) => {
      const sent = points[i]!;
      expect(point).toMatchObject({
        file: sent.file,
        kind: sent.kind,
        class: sent.class,
        predicted: sent.predicted,
        x: Math.fround(sent.x),
        y: Math.fround(sent.y),
      });
      if (sent.score === null) expect(point.score).toBeNull();
      else expect(Math.abs(point.score! - sent.score)).toBeLessThanOrEqual(scoreStep / 2 + 1e-12);
      if (sent.margin === null) expect(point.margin).toBeNull();
      else expect(Math.abs(point.margin! - sent.margin)).toBeLessThanOrEqual(marginStep / 2 + 1e-12);
    });
    expect(packed.classes.length).toBeLessThanOrEqual(4);
  });

  it('keeps a score that all points share, and says no range when no point has one', () => {
    const same = randomPoints(10, 4).map((p) => ({ ...p, score: 0.42, margin: null }));
    const packed = packMapPoints(same);
    expect(packed.margins).toBeNull();
    const back = unpackMapPoints(
      packed,
      same.map((p) => p.file),
    );
    expect(back.map((p) => p.score)).toEqual(same.map(() => 0.42));
    expect(back.every((p) => p.margin === null)).toBe(true);
  });

  it('refuses records that do not match the file names, and more classes than the records can number', () => {
    const packed = packMapPoints(randomPoints(3, 5));
    expect(() => unpackMapPoints(packed, ['a', 'b'])).toThrow(RangeError);
    const many = Array.from({ length: MAX_MAP_CLASSES + 1 }, (_, i) => ({
      ...randomPoints(1, i)[0]!,
      kind: 'sorted' as const,
      class: `c${i}`,
      predicted: null,
    }));
    expect(() => packMapPoints(many)).toThrow(RangeError);
    expect(() => packMapPoints(many.slice(0, MAX_MAP_CLASSES))).not.toThrow();
  });
});

describe('binary frames over the socket', () => {
  it('leaves a message without bytes as JSON text', () => {
    const message = { id: 4, result: { a: [1, 'x'], b: null } };
    expect(encodeMessage(message)).toBe(JSON.stringify(message));
  });

  it('carries typed bytes (Buffers too) beside a JSON header, in order', () => {
    const first = Uint8Array.from({ length: 37 }, (_, i) => i * 7);
    const second = Buffer.from('héllo');
    const frame = encodeMessage({ id: 9, result: { points: first, nested: [{ name: second }], text: 'ñ' } });
    expect(frame).toBeInstanceOf(Uint8Array);
    const size = (frame as Uint8Array).byteLength;
    expect(size).toBeLessThan(first.byteLength + second.byteLength + 120);
    // As the browser gives it (an ArrayBuffer) and as Node's ws does (a Buffer over a larger pool).
    const pooled = Buffer.concat([Buffer.alloc(13), frame as Uint8Array]).subarray(13);
    for (const data of [(frame as Uint8Array).slice().buffer, pooled]) {
      const message = decodeFrame(data) as {
        id: number;
        result: { points: Uint8Array; nested: { name: Uint8Array }[]; text: string };
      };
      expect(message.id).toBe(9);
      expect(message.result.text).toBe('ñ');
      expect([...message.result.points]).toEqual([...first]);
      expect(Buffer.from(message.result.nested[0]!.name).toString()).toBe('héllo');
    }
  });

  it('refuses frames cut short', () => {
    const frame = encodeMessage({ bytes: new Uint8Array(64) }) as Uint8Array;
    expect(() => decodeFrame(frame.subarray(0, 3))).toThrow(RangeError);
    expect(() => decodeFrame(frame.subarray(0, 10))).toThrow(RangeError);
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 1))).toThrow(RangeError);
  });
});
