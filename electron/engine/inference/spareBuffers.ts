/**
 * Pixel buffers kept from one batch for the next. A fresh buffer of a few megabytes costs a page fault per 4 kB
 * every batch; measured here, 12 ms of a 100 ms int8 batch of 8 images for the float input, and 2 of the 4 ms a
 * batch's 8-bit pixels take to reach the inference process. A buffer taken is the caller's alone until it is given
 * back, so runs that overlap never share one.
 */
type PixelArray = Float32Array | Uint8Array;

export class SpareBuffers<T extends PixelArray> {
  private readonly spare: T[] = [];

  constructor(
    private readonly kind: { new (length: number): T; new (buffer: ArrayBufferLike): T },
    private readonly kept = 2,
  ) {}

  /** A buffer of `length` elements (its contents are whatever was there): a kept one if one is large enough. */
  take(length: number): T {
    const fits = this.spare.findIndex((buffer) => buffer.length >= length);
    return fits < 0 ? new this.kind(length) : (this.spare.splice(fits, 1)[0]!.subarray(0, length) as T);
  }

  /** Gives back a buffer from `take`; the largest few are kept. */
  give(buffer: T): void {
    this.spare.push(new this.kind(buffer.buffer));
    this.spare.sort((a, b) => b.length - a.length).splice(this.kept);
  }
}
