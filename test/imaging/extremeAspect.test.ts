/**
 * Images far longer than they are wide (a 100000×1 strip) are enlarged only where the centre crop looks, instead of
 * whole (to 22400000×224 pixels, which made them fail as "damaged" after a minute and 4 GB).
 */
import { describe, expect, it } from 'vitest';
import { centreCropBox, resizedSize } from '../../electron/engine/imaging/geometry.js';
import { decodeForModel, encodeImage } from '../../electron/engine/imaging/imageCodec.js';
import { parsePreprocessConfig } from '../../electron/engine/imaging/preprocessConfig.js';
import { crop, resizeBicubic, type RawImage } from '../../electron/engine/imaging/resample.js';

const spec = parsePreprocessConfig({
  size: 224,
  crop_size: 224,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
});
const RED = [210, 30, 30];
const BLUE = [30, 30, 210];

/** A `width`×`height` RGB image, red except for `middle` pixels of blue at the centre of its long side. */
function strip(width: number, height: number, middle = 0): RawImage {
  const data = new Uint8Array(width * height * 3);
  const long = Math.max(width, height);
  for (let i = 0; i < width * height; i++) {
    const along = width >= height ? i % width : Math.floor(i / width);
    const blue = Math.abs(along - long / 2) < middle / 2;
    data.set(blue ? BLUE : RED, i * 3);
  }
  return { data, width, height, channels: 3 };
}

function meanColour(image: RawImage): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < image.data.length; i++) sum[i % 3]! += image.data[i]!;
  return sum.map((total) => Math.round(total / (image.data.length / 3)));
}

describe('images of extreme aspect ratios', () => {
  it.each([
    ['100000×1 PNG', 100000, 1, 'png'],
    ['1×100000 PNG', 1, 100000, 'png'],
    ['65000×3 JPEG', 65000, 3, 'jpeg'],
  ] as const)('decodes a %s to the model input from its centre', async (_name, width, height, format) => {
    const bytes = await encodeImage(strip(width, height, 9), { format, quality: 95 });
    const image = await decodeForModel(bytes, spec, 'strip');
    expect([image.width, image.height, image.channels]).toEqual([224, 224, 3]);
    const [r, g, b] = meanColour(image);
    // What the crop keeps is the blue centre, not an average of the whole strip.
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(90);
    expect(g).toBeLessThan(60);
  });

  it.each([
    [600, 3],
    [3, 600],
    [300, 200],
    [150, 224],
  ])('computes exactly the pixels of the crop that the whole resize of %i×%i has', (width, height) => {
    const source = strip(width, height);
    for (let i = 0; i < source.data.length; i++) source.data[i] = (i * 2654435761) % 251;
    const whole = resizedSize(source, spec.resize);
    const box = centreCropBox(whole, spec.crop!);

    const reference = resizeBicubic(source, whole.width, whole.height);
    const part = resizeBicubic(source, whole.width, whole.height, box);
    const expected = crop(reference, box.left, box.top, box.width, box.height);
    expect([part.width, part.height]).toEqual([224, 224]);
    expect(Buffer.from(part.data).equals(Buffer.from(expected.data))).toBe(true);
  });
});
