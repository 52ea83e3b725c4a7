/** Decoded pixels as tests compare them: the model's input left unscaled, and how far two images differ. */
import { expect } from 'vitest';
import { parsePreprocessConfig } from '../../electron/engine/imaging/preprocessConfig.js';
import type { RawImage } from '../../electron/engine/imaging/resample.js';

/** A 224-pixel model input with channel values left as they are (0–1), so pixels can be read back. */
export const unscaledInput = parsePreprocessConfig({
  size: 224,
  crop_size: 224,
  image_mean: [0, 0, 0],
  image_std: [1, 1, 1],
});

/** Mean absolute difference of two decoded images of one size, per channel value. */
export function meanDifference(a: RawImage, b: RawImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}
