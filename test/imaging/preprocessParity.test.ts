import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { centreCropBox, resizedSize } from '../../electron/engine/imaging/geometry.js';
import { preprocessImage } from '../../electron/engine/imaging/preprocess.js';
import { parsePreprocessConfig } from '../../electron/engine/imaging/preprocessConfig.js';
import { hasSharedFixtures, sharedFixtures, sharedTitle } from '../helpers/sharedFixtures.js';

interface Variant {
  variant: string;
  tensor: string;
  input_size: [number, number];
  resized_size: [number, number];
  crop_box_ltrb: [number, number, number, number];
}
interface Reference {
  mean: [number, number, number];
  std: [number, number, number];
  images: { image: string; variants: Variant[] }[];
}

const root = path.join(sharedFixtures, 'preprocess');
const present = hasSharedFixtures('preprocess');
const reference = present
  ? (JSON.parse(readFileSync(path.join(root, 'reference.json'), 'utf8')) as Reference)
  : { mean: [0, 0, 0], std: [1, 1, 1], images: [] };

/**
 * Variants that are deliberately not ours: EXIF orientation is applied (the reference ignores it), and alpha is
 * dropped after resampling as openai/CLIP does (the `alpha_dropped_first` tensor converts to RGB first).
 */
const NOT_OURS = new Set(['exif_ignored', 'alpha_dropped_first']);

const cases = reference.images.flatMap(({ image, variants }) =>
  variants.filter((v) => !NOT_OURS.has(v.variant)).map((variant) => ({ image, ...variant })),
);

function readTensor(file: string): Float32Array {
  const bytes = gunzipSync(readFileSync(path.join(root, file)));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

describe.skipIf(!present)(
  sharedTitle('preprocessing parity with the reference CLIP pipeline', 'preprocess'),
  () => {
    const spec = parsePreprocessConfig({
      size: { shortest_edge: 224 },
      crop_size: { height: 224, width: 224 },
      image_mean: reference.mean,
      image_std: reference.std,
    });

    it.each(cases)(
      '$image ($variant): same resize and crop geometry',
      ({ input_size, resized_size, crop_box_ltrb }) => {
        const [width, height] = resized_size;
        expect(resizedSize({ width: input_size[0], height: input_size[1] }, spec.resize)).toEqual({
          width,
          height,
        });
        const box = centreCropBox({ width, height }, { width: 224, height: 224 });
        expect([box.left, box.top, box.left + box.width, box.top + box.height]).toEqual(crop_box_ltrb);
      },
    );

    it.each(cases)(
      '$image ($variant): mean absolute difference ≤ 0.02',
      async ({ image, variant, tensor }) => {
        const expected = readTensor(tensor);
        const actual = await preprocessImage(readFileSync(path.join(root, image)), spec, image);
        expect(actual.length).toBe(expected.length);
        let sum = 0;
        let max = 0;
        for (let i = 0; i < actual.length; i++) {
          const d = Math.abs(actual[i]! - expected[i]!);
          sum += d;
          max = Math.max(max, d);
        }
        const mean = sum / actual.length;
        console.log(
          `parity ${image} (${variant}): mean |Δ| = ${mean.toFixed(5)}, max |Δ| = ${max.toFixed(4)}`,
        );
        expect(mean).toBeLessThanOrEqual(0.02);
      },
    );

    it('applies EXIF orientation: closer to the upright tensor than to the raw one', async () => {
      const file = 'images/portrait_exif6.jpg';
      const actual = await preprocessImage(readFileSync(path.join(root, file)), spec, file);
      const distance = (t: Float32Array) => actual.reduce((s, v, i) => s + Math.abs(v - t[i]!), 0) / t.length;
      const upright = distance(readTensor('tensors/portrait_exif6.exif_applied.f32.gz'));
      const raw = distance(readTensor('tensors/portrait_exif6.exif_ignored.f32.gz'));
      expect(upright).toBeLessThan(0.02);
      expect(raw).toBeGreaterThan(0.5);
    });
  },
);
