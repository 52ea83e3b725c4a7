import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import {
  checkPrecision,
  MIN_MEAN_COSINE,
  MIN_SAMPLE,
} from '../../electron/engine/evaluate/precisionCheck.js';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { ensureInt8Model } from '../../electron/engine/inference/int8Model.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { addColourPhotos, colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';

const { onnx } = onnxProto;

/**
 * A copy of the colour model whose own quantized vision file is ClipSort's int8 with a third of its weight
 * columns' scales negated (a sign slip a quantiser can make): it loads and runs, and is wrong.
 */
async function brokenInt8Folder(dir: string): Promise<void> {
  await cp(colourModelDir, dir, { recursive: true });
  const made = await ensureInt8Model(dir, 'onnx/vision_model.onnx');
  const model = onnx.ModelProto.decode(await readFile(path.join(dir, made.file)));
  for (const tensor of model.graph!.initializer!) {
    if (!tensor.name!.endsWith('_scale')) continue;
    const scales = new Float32Array(new Uint8Array(tensor.rawData!).buffer);
    for (let j = 0; j < scales.length; j += 3) scales[j] = -scales[j]!;
    tensor.rawData = new Uint8Array(scales.buffer);
  }
  await writeFile(path.join(dir, 'onnx/vision_model_quantized.onnx'), onnx.ModelProto.encode(model).finish());
  await cp(path.join(dir, 'onnx/text_model.onnx'), path.join(dir, 'onnx/text_model_quantized.onnx'));
}

describe('checking int8 on the library before use', () => {
  const tempDir = useTempDirs();

  async function check(modelDir: string, extra: number, mode: 'avg' | 'text' = 'avg') {
    const root = await tempDir();
    await makeColourLibrary(root);
    await addColourPhotos(root, extra);
    const index = LibraryIndex.open(root);
    const [fp32, int8] = [
      await ClipModel.load(modelDir, { threads: 1 }),
      await ClipModel.load(modelDir, { threads: 1, precision: 'int8' }),
    ];
    try {
      return { result: await checkPrecision(root, fp32, int8, index, { mode }), index };
    } finally {
      await Promise.all([fp32.dispose(), int8.dispose()]);
    }
  }

  it('accepts a faithful int8 encoder in an image mode and in the text mode', async () => {
    const dir = await tempDir();
    await cp(colourModelDir, dir, { recursive: true });
    for (const mode of ['avg', 'text'] as const) {
      const { result, index } = await check(dir, 7, mode);
      expect(result.images).toBeGreaterThanOrEqual(MIN_SAMPLE);
      expect(result.meanCosine).toBeGreaterThanOrEqual(MIN_MEAN_COSINE);
      expect(result.changed).toEqual([]);
      expect(result).toMatchObject({ accepted: true, reason: null });
      index.close();
    }
  });

  it('refuses a broken int8 encoder on the photos, saying why: drift, and photos that change class', async () => {
    const dir = await tempDir();
    await brokenInt8Folder(dir);
    // In text mode the class prompts are embedded in fp32: a broken image encoder files photos elsewhere.
    const { result, index } = await check(dir, 7, 'text');
    index.close();
    expect(result.accepted, result.reason ?? '').toBe(false);
    expect(result.meanCosine!).toBeLessThan(MIN_MEAN_COSINE);
    expect(result.changed.length).toBeGreaterThan(0);
    expect(result.reason).toMatch(/mean cosine 0?\.\d{4}, below 0\.995/);
    expect(result.reason).toMatch(/another class in text mode/);
    expect(result.reason).toMatch(/Full precision is used/);
  });

  it('refuses int8 while the library has too few photos to check it on', async () => {
    const dir = await tempDir();
    await cp(colourModelDir, dir, { recursive: true });
    const { result, index } = await check(dir, 0);
    index.close();
    expect(result.images).toBeLessThan(MIN_SAMPLE);
    expect(result.accepted).toBe(false);
    expect(result.reason).toMatch(new RegExp(`at least ${MIN_SAMPLE}.*has ${result.images}`));
  });
});
