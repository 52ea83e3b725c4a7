import { ClipSortError } from '../errors.js';
import { decodeForModel } from './imageCodec.js';
import { outputSize, type PreprocessSpec } from './preprocessConfig.js';
import type { RawImage } from './resample.js';

/** The fixed input size of a spec; batching needs every image to come out the same size. */
export function inputSize(spec: PreprocessSpec): { width: number; height: number } {
  const size = outputSize(spec);
  if (!size) {
    throw new ClipSortError(
      'model-unsupported',
      'The model does not produce a fixed image size (no crop or size).',
    );
  }
  return size;
}

/**
 * Writes 8-bit RGB pixels into `out` at image slot `index` as planar CHW floats, rescaled and normalised:
 * (value · rescale − mean) / std per channel.
 */
export function writePixels(image: RawImage, spec: PreprocessSpec, out: Float32Array, index: number): void {
  const plane = image.width * image.height;
  if (image.channels !== 3) throw new RangeError(`expected RGB pixels, got ${image.channels} channels`);
  if (out.length < (index + 1) * 3 * plane) throw new RangeError('tensor too small for this image');
  const base = index * 3 * plane;
  for (let c = 0; c < 3; c++) {
    const scale = spec.rescale / spec.std[c]!;
    const shift = spec.mean[c]! / spec.std[c]!;
    const offset = base + c * plane;
    for (let i = 0; i < plane; i++) out[offset + i] = image.data[i * 3 + c]! * scale - shift;
  }
}

/** Decodes and preprocesses one image into a single-image tensor. */
export async function preprocessImage(
  bytes: Uint8Array,
  spec: PreprocessSpec,
  name: string,
): Promise<Float32Array> {
  const { width, height } = inputSize(spec);
  const out = new Float32Array(3 * width * height);
  writePixels(await decodeForModel(bytes, spec, name), spec, out, 0);
  return out;
}
