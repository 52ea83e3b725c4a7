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
    const size = 3 * 224 * 224;
    const images = [0.8, -0.5, 0.1].map((level, n) =>
      Float32Array.from({ length: size }, (_, i) => level + Math.sin(i * (n + 1)) * 0.3),
    );
    const batch = new Float32Array(3 * size);
    images.forEach((image, i) => batch.set(image, i * size));
    const together = await colourModel().embedImages({ data: batch, count: 3, width: 224, height: 224 });
    for (const [i, image] of images.entries()) {
      const [alone] = await colourModel().embedImages({ data: image, count: 1, width: 224, height: 224 });
      expect(dot(alone!, together[i]!)).toBeCloseTo(1, 5);
      expect(Math.hypot(...alone!)).toBeCloseTo(1, 5);
    }
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

  it('reports a missing vision model, and a missing quantized variant', async () => {
    const empty = await tempDir();
    expect((await rejection(ClipModel.load(empty))).code).toBe('model-missing');
    const error = await rejection(ClipModel.load(colourModelDir, { quantized: true }));
    expect(error.message).toMatch(/--quantized/);
  });

  it('refuses an execution provider this machine cannot start, with a clear message', async () => {
    // CoreML exists only on macOS and DirectML only on Windows.
    const foreign = process.platform === 'darwin' ? 'dml' : 'coreml';
    const error = await rejection(ClipModel.load(colourModelDir, { executionProviders: [foreign] }));
    expect(error.code).toBe('provider-unavailable');
    expect(error.message).toContain(foreign);
  });
});
