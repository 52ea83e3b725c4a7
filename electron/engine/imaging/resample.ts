/**
 * Bicubic resampling that reproduces Pillow's `Image.resize(size, BICUBIC)` bit for bit: the same filter (a = -0.5),
 * support widened by the scale when shrinking, coefficients in 22-bit fixed point, and a horizontal pass rounded to
 * 8 bits before the vertical one. libvips enlarges images with a different interpolator, so small images (enlarged
 * to the model's size) are resampled here to stay faithful to the reference CLIP pipeline.
 */

import type { Box } from './geometry.js';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2;

/** Interleaved 8-bit pixels. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

interface Coefficients {
  /** First input index for each output index. */
  start: Int32Array;
  /** Number of taps for each output index. */
  count: Int32Array;
  /** Fixed-point weights, `taps` per output index. */
  weights: Int32Array;
  taps: number;
}

/** Coefficients of the output indices `first` … `first + length - 1` of a resize from `inSize` to `outSize`. */
function coefficients(inSize: number, outSize: number, first = 0, length = outSize - first): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(length);
  const count = new Int32Array(length);
  const weights = new Int32Array(length * taps);
  const k = new Float64Array(taps);
  for (let x = 0; x < length; x++) {
    const centre = (first + x + 0.5) * scale;
    const min = Math.max(Math.trunc(centre - support + 0.5), 0);
    const n = Math.min(Math.trunc(centre + support + 0.5), inSize) - min;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = bicubic((i + min - centre + 0.5) / filterScale);
      k[i] = w;
      sum += w;
    }
    for (let i = 0; i < n; i++) {
      const w = sum === 0 ? k[i]! : k[i]! / sum;
      weights[x * taps + i] = Math.trunc(w < 0 ? w * ONE - 0.5 : w * ONE + 0.5);
    }
    start[x] = min;
    count[x] = n;
  }
  return { start, count, weights, taps };
}

function clip8(accumulator: number): number {
  const value = Math.floor(accumulator / ONE);
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** The columns `left` … `left + outWidth - 1` of the image resized to `fullWidth` wide. */
function resampleHorizontal(image: RawImage, fullWidth: number, left: number, outWidth: number): RawImage {
  const { data, width, height, channels } = image;
  const { start, count, weights, taps } = coefficients(width, fullWidth, left, outWidth);
  const out = new Uint8Array(outWidth * height * channels);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let x = 0; x < outWidth; x++) {
      const first = start[x]!;
      const n = count[x]!;
      for (let c = 0; c < channels; c++) {
        let acc = HALF;
        for (let i = 0; i < n; i++) acc += data[row + (first + i) * channels + c]! * weights[x * taps + i]!;
        out[(y * outWidth + x) * channels + c] = clip8(acc);
      }
    }
  }
  return { data: out, width: outWidth, height, channels };
}

/** The output rows `vertical` describes, drawn from `image`: the source rows from `firstRow` on. */
function resampleVertical(
  image: RawImage,
  vertical: Coefficients,
  firstRow: number,
  outHeight: number,
): RawImage {
  const { data, width, channels } = image;
  const { start, count, weights, taps } = vertical;
  const stride = width * channels;
  const out = new Uint8Array(stride * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const first = start[y]! - firstRow;
    const n = count[y]!;
    for (let i = 0; i < stride; i++) {
      let acc = HALF;
      for (let t = 0; t < n; t++) acc += data[(first + t) * stride + i]! * weights[y * taps + t]!;
      out[y * stride + i] = clip8(acc);
    }
  }
  return { data: out, width, height: outHeight, channels };
}

/**
 * Resizes to exactly `width`×`height`, as Pillow's BICUBIC resize does; with `box`, only that part of the result
 * is computed, from only the rows it needs (the same pixels, without the time and memory of the whole: a 100000×1
 * strip resized for a 224 crop would be 22400000×224).
 */
export function resizeBicubic(
  image: RawImage,
  width: number,
  height: number,
  box: Box = { left: 0, top: 0, width, height },
): RawImage {
  const resizeRows = height !== image.height;
  const vertical = resizeRows ? coefficients(image.height, height, box.top, box.height) : undefined;
  // The source rows the output rows draw on: those of the box, or every row the vertical filter reaches.
  const firstRow = vertical ? vertical.start[0]! : box.top;
  const lastRow = vertical
    ? vertical.start[box.height - 1]! + vertical.count[box.height - 1]!
    : box.top + box.height;
  const rows = crop(image, 0, firstRow, image.width, lastRow - firstRow);
  const horizontal =
    width === image.width
      ? crop(rows, box.left, 0, box.width, rows.height)
      : resampleHorizontal(rows, width, box.left, box.width);
  return vertical ? resampleVertical(horizontal, vertical, firstRow, box.height) : horizontal;
}

/** Copies the `width`×`height` window whose top-left corner is (`left`, `top`). */
export function crop(image: RawImage, left: number, top: number, width: number, height: number): RawImage {
  if (left === 0 && top === 0 && width === image.width && height === image.height) return image;
  const { channels } = image;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * channels;
    out.set(image.data.subarray(from, from + width * channels), y * width * channels);
  }
  return { data: out, width, height, channels };
}
