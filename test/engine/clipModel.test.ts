import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { colourModelDir, useColourModel } from '../helpers/colourLibrary.js';
import { clipSortError as rejection } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('ClipModel', () => {
  const tempDir = useTempDirs();
  const colourModel = useColourModel();

  it('gives each image the same unit embedding alone or in a batch', async () => {
    const images = [40, 130, 220].map((level, n) => ({
      data: Uint8Array.from({ length: 3 * 224 * 224 }, (_, i) => (level + ((i * (n + 3)) % 50)) % 256),
      width: 224,
      height: 224,
      channels: 3,
    }));
    const together = await colourModel().embedImages(images);
    for (const [i, image] of images.entries()) {
      const [alone] = await colourModel().embedImages([image]);
      expect(dot(alone!, together[i]!)).toBeCloseTo(1, 5);
      expect(Math.hypot(...alone!)).toBeCloseTo(1, 5);
    }
    // Batches in flight at once, of other sizes than before, each keep their own pixels (input buffers are reused).
    const [first, second] = await Promise.all([
      colourModel().embedImages([images[2]!, images[0]!]),
      colourModel().embedImages([images[1]!]),
    ]);
    expect(dot(first[0]!, together[2]!)).toBeCloseTo(1, 5);
    expect(dot(first[1]!, together[0]!)).toBeCloseTo(1, 5);
    expect(dot(second[0]!, together[1]!)).toBeCloseTo(1, 5);
  });

  it('refuses pixels that are not the model input size', async () => {
    const small = { data: new Uint8Array(3 * 10 * 10), width: 10, height: 10, channels: 3 };
    await expect(colourModel().embedImages([small])).rejects.toThrow(/224×224/);
  });

  it('averages a prompt set into one unit vector', async () => {
    const [set] = await colourModel().embedPromptSets([['a photo of a red.', 'a red thing']]);
    const [single] = await colourModel().embedTexts(['red']);
    expect(Math.hypot(...set!)).toBeCloseTo(1, 5);
    expect(dot(set!, single!)).toBeGreaterThan(0.99);
  });

  it('names its embeddings by the weights: the same files anywhere give the same key', async () => {
    const copy = await tempDir();
    await cp(colourModelDir, copy, { recursive: true });
    const other = await ClipModel.load(copy, { threads: 1 });
    expect(other.key).toBe(colourModel().key);
    await other.dispose();
  });

  it('reports a damaged model file as broken, saying how to repair it', async () => {
    const copy = await tempDir();
    await cp(colourModelDir, copy, { recursive: true });
    await writeFile(path.join(copy, 'onnx/vision_model.onnx'), 'this is not an onnx file');
    const error = await rejection(ClipModel.load(copy));
    expect(error.code).toBe('model-broken');
    expect(error.message).toMatch(/clipsort models verify/);
  });

  it('reports a missing vision model', async () => {
    const empty = await tempDir();
    expect((await rejection(ClipModel.load(empty))).code).toBe('model-missing');
  });

  it('refuses an execution provider this machine cannot start, with a clear message', async () => {
    // CoreML exists only on macOS and DirectML only on Windows.
    const foreign = process.platform === 'darwin' ? 'dml' : 'coreml';
    const error = await rejection(ClipModel.load(colourModelDir, { executionProviders: [foreign] }));
    expect(error.code).toBe('provider-unavailable');
    expect(error.message).toContain(foreign);
  });
});
