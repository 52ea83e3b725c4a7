import { describe, expect, it } from 'vitest';
import { SpareBuffers } from '../../electron/engine/inference/spareBuffers.js';

describe('SpareBuffers', () => {
  it('gives a buffer back out for a batch no larger, and never to two holders at once', () => {
    const buffers = new SpareBuffers(Float32Array);
    const first = buffers.take(12);
    const second = buffers.take(12);
    expect(second.buffer).not.toBe(first.buffer);
    buffers.give(first);
    const smaller = buffers.take(5);
    expect(smaller.buffer).toBe(first.buffer);
    expect(smaller).toHaveLength(5);
    // The only kept buffer is taken: the next holder gets a new one.
    expect(buffers.take(5).buffer).not.toBe(first.buffer);
    buffers.give(smaller);
    expect(buffers.take(12).buffer).toBe(first.buffer);
  });

  it('makes a larger buffer when none kept is large enough, and keeps only the largest few', () => {
    const buffers = new SpareBuffers(Float32Array, 2);
    const [a, b, c] = [buffers.take(4), buffers.take(8), buffers.take(16)];
    for (const buffer of [a, b, c]) buffers.give(buffer);
    expect(buffers.take(20)).toHaveLength(20);
    const kept = [buffers.take(1), buffers.take(1), buffers.take(1)].map((buffer) => buffer.buffer);
    expect(kept.slice(0, 2)).toEqual(expect.arrayContaining([b.buffer, c.buffer]));
    expect(kept[2]).not.toBe(a.buffer);
  });

  it('keeps buffers of the kind it was made for', () => {
    const buffers = new SpareBuffers<Uint8Array>(Uint8Array);
    const taken = buffers.take(6);
    buffers.give(taken);
    const again = buffers.take(3);
    expect(again).toBeInstanceOf(Uint8Array);
    expect(again.buffer).toBe(taken.buffer);
  });
});
