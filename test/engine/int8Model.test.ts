import { appendFile, cp, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { ensureInt8Model, int8Paths, type Int8Record } from '../../electron/engine/inference/int8Model.js';
import { quantiseColumns, WEIGHT_MAX } from '../../electron/engine/inference/quantiseMatMuls.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { clipSortError as rejection } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { writeVitB32Model } from '../tools/writeVitB32Model.js';
import type { VitClipConfig } from '../tools/vitB32.js';

const { onnx } = onnxProto;
const VISION = 'onnx/vision_model.onnx';

/** A ViT small enough to write in a moment, with the real graph: 2 blocks, so 8 weight MatMuls and the projection. */
const SMALL_VIT: VitClipConfig = {
  vision: { imageSize: 64, patchSize: 16, width: 64, layers: 2, heads: 4, mlpWidth: 256 },
  text: { contextLength: 12, vocabSize: 1000, width: 16, layers: 1, heads: 2, mlpWidth: 64 },
  projectionDim: 32,
  seed: 11,
};

function images(size: number, count: number) {
  return Array.from({ length: count }, (_, n) => ({
    data: Uint8Array.from({ length: 3 * size * size }, (_, i) => (n * 37 + ((i * (n + 5)) % 211)) % 256),
    width: size,
    height: size,
    channels: 3,
  }));
}

async function opTypes(file: string): Promise<string[]> {
  return (onnx.ModelProto.decode(await readFile(file)).graph?.node ?? []).map((node) => node.opType ?? '');
}

describe('int8 vision encoders', () => {
  const tempDir = useTempDirs();

  it('quantises each column symmetrically: within half a step of the weight, zero columns stay zero', () => {
    const weights = Float32Array.of(0.5, 0, -2, 0.25, 0, 1, -0.125, 0, 0.75);
    const { values, scales } = quantiseColumns(weights, 3, 3);
    expect([...scales]).toEqual([0.5 / WEIGHT_MAX, 1, 2 / WEIGHT_MAX].map(Math.fround));
    for (let i = 0; i < weights.length; i++) {
      const scale = scales[i % 3]!;
      expect(Math.abs(values[i]! * scale - weights[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-9);
      expect(Math.abs(values[i]!)).toBeLessThanOrEqual(WEIGHT_MAX);
    }
    expect([values[1], values[4], values[7]]).toEqual([0, 0, 0]);
    expect(values[2]).toBe(-WEIGHT_MAX);
  });

  it('keeps every pair of uint8 × int8 products within the 16 bits that CPUs without VNNI add them in', () => {
    // VPMADDUBSW: a[2k]·w[2k] + a[2k+1]·w[2k+1], saturated to int16, then summed in int32.
    const saturatingDot = (a: Uint8Array, w: Int8Array) => {
      let sum = 0;
      for (let k = 0; k < a.length; k += 2)
        sum += Math.max(-32768, Math.min(32767, a[k]! * w[k]! + a[k + 1]! * w[k + 1]!));
      return sum;
    };
    const exactDot = (a: Uint8Array, w: Int8Array) => a.reduce((sum, v, k) => sum + v * w[k]!, 0);
    const rows = 64;
    // Columns of one sign at their largest, of mixed signs, and of random values.
    const weights = Float32Array.from({ length: rows * 3 }, (_, i) =>
      i % 3 === 0 ? 1 : i % 3 === 1 ? (i % 2 ? -3 : 3) : Math.sin(i * 12.9898) * 2,
    );
    const { values } = quantiseColumns(weights, rows, 3);
    for (let j = 0; j < 3; j++) {
      const column = Int8Array.from({ length: rows }, (_, i) => values[i * 3 + j]!);
      for (const fill of [255, 128, 1]) {
        const bytes = new Uint8Array(rows).fill(fill);
        expect(saturatingDot(bytes, column)).toBe(exactDot(bytes, column));
      }
      const mixed = Uint8Array.from(column, (w) => (w > 0 ? 255 : 0));
      expect(saturatingDot(mixed, column)).toBe(exactDot(mixed, column));
    }
    // The same column at a full 8 bits would overflow: the check above can fail.
    const full = new Int8Array(rows).fill(127);
    expect(saturatingDot(new Uint8Array(rows).fill(255), full)).not.toBe(
      exactDot(new Uint8Array(rows).fill(255), full),
    );
  });

  it('makes a ViT int8 next to its weights, with integer MatMuls, keyed apart, embedding as fp32 does', async () => {
    const dir = await tempDir();
    writeVitB32Model(dir, { config: SMALL_VIT });
    const fp32 = await ClipModel.load(dir, { threads: 1 });
    const int8 = await ClipModel.load(dir, { threads: 1, precision: 'int8' });
    try {
      const record = JSON.parse(
        await readFile(path.join(dir, int8Paths(VISION).record), 'utf8'),
      ) as Int8Record;
      expect(record.file).toBe('onnx/vision_model.int8.onnx');
      // The patch embedding, made a MatMul, is quantised too, and multiplies the decoder's bytes as they are.
      expect(record.patchConvolutions).toBe(1);
      expect(record).toMatchObject({
        eightBitInput: true,
        byteInputs: 1,
        normalisation: { rescale: 1 / 255 },
      });
      expect(record.matmuls).toBe(SMALL_VIT.vision.layers * 6 + 2);
      const ops = await opTypes(path.join(dir, record.file));
      expect(ops).not.toContain('Conv');
      expect(ops.filter((op) => op === 'MatMulInteger')).toHaveLength(record.matmuls);
      // Attention's own products (activation × activation) stay float; q · kᵀ reads its keys in place.
      expect(record.transposesFolded).toBe(SMALL_VIT.vision.layers);
      const fp32Ops = await opTypes(path.join(dir, VISION));
      expect(ops.filter((op) => op === 'FusedMatMul')).toHaveLength(SMALL_VIT.vision.layers);
      expect(ops.filter((op) => op === 'MatMul').length).toBe(
        fp32Ops.filter((op) => op === 'MatMul').length - (record.matmuls - 1) - record.transposesFolded,
      );
      const { size: int8Size } = await stat(path.join(dir, record.file));
      const { size: fp32Size } = await stat(path.join(dir, VISION));
      expect(int8Size).toBeLessThan(fp32Size * 0.6);

      expect(int8.precision).toBe('int8');
      expect(int8.key).not.toBe(fp32.key);
      expect(int8.key.startsWith(fp32.key)).toBe(true);
      const batch = images(64, 6);
      const [a, b] = [await fp32.embedImages(batch), await int8.embedImages(batch)];
      const cosines = a.map((v, i) => dot(v, b[i]!));
      expect(Math.min(...cosines)).toBeGreaterThan(0.99);
      expect(Math.min(...cosines)).toBeLessThan(1 - 1e-7);

      // Another normalisation folds into other weights: the file is made again for it.
      const half: [number, number, number] = [0.5, 0.5, 0.5];
      const other = await ensureInt8Model(dir, VISION, { rescale: 1 / 255, mean: half, std: half });
      expect(other.normalisation).toEqual({ rescale: 1 / 255, mean: half, std: half });
      expect(other.sha256).not.toBe(record.sha256);
    } finally {
      await Promise.all([fp32.dispose(), int8.dispose()]);
    }
  });

  it('reuses a matching int8 file and makes a damaged one again', async () => {
    const dir = await tempDir();
    await cp(colourModelDir, dir, { recursive: true });
    const made = await ensureInt8Model(dir, VISION);
    const file = path.join(dir, made.file);
    const { mtimeMs } = await stat(file);
    expect((await ensureInt8Model(dir, VISION)).sha256).toBe(made.sha256);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
    await appendFile(file, 'x');
    const again = await ensureInt8Model(dir, VISION);
    expect(again.sha256).toBe(made.sha256);
    expect((await readFile(file)).length).toBe((await stat(file)).size);
    expect(await opTypes(file)).toContain('MatMulInteger');
  });

  it('runs a folder with only quantized encoders in int8, and says how when asked for fp32', async () => {
    const dir = await tempDir();
    await cp(colourModelDir, dir, { recursive: true });
    for (const tower of ['vision', 'text']) {
      await rename(
        path.join(dir, `onnx/${tower}_model.onnx`),
        path.join(dir, `onnx/${tower}_model_quantized.onnx`),
      );
    }
    expect((await rejection(ClipModel.load(dir))).message).toMatch(/--precision int8/);
    const model = await ClipModel.load(dir, { precision: 'int8' });
    expect(model.key).toMatch(/_quantized$/);
    expect((await model.embedTexts(['red']))[0]).toHaveLength(
      (await model.embedImages(images(224, 1)))[0]!.length,
    );
    await model.dispose();
  });
});
