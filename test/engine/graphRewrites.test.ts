import { readFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { intsAttribute } from '../../electron/engine/inference/graphEdits.js';
import { openSession, Tensor } from '../../electron/engine/inference/onnxRuntime.js';
import {
  patchConvolutionsAsMatMuls,
  type PixelNormalisation,
} from '../../electron/engine/inference/patchMatMul.js';
import { quantiseMatMuls } from '../../electron/engine/inference/quantiseMatMuls.js';
import { writePixels } from '../../electron/engine/imaging/preprocess.js';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD } from '../tools/onnx/clipFolder.js';
import { foldTransposesIntoMatMuls } from '../../electron/engine/inference/transposedMatMul.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { GraphBuilder, type AttributeValue, type Dim } from '../tools/onnx/graphBuilder.js';
import { writeModel } from '../tools/onnx/modelWriter.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.IModelProto;

const values = (count: number, seed: number) =>
  Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.61 + seed) * (1 + (i % 3)));

describe('graph rewrites for int8', () => {
  const tempDir = useTempDirs();

  async function built(g: GraphBuilder): Promise<Model> {
    const file = path.join(await tempDir(), 'model.onnx');
    writeModel(file, g.build({ producerName: 'test' }));
    return onnx.ModelProto.decode(await readFile(file));
  }

  /** Runs `model` on float inputs of the given shapes; resolves to output `y`. */
  async function run(model: Model, inputs: Record<string, number[]>): Promise<Float32Array> {
    const session = await openSession(onnx.ModelProto.encode(model).finish(), { threads: 1 });
    try {
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([name, dims], n) => [
          name,
          new Tensor(
            'float32',
            values(
              dims.reduce((a, b) => a * b, 1),
              n,
            ),
            dims,
          ),
        ]),
      );
      return (await session.run(feeds)).y!.data as Float32Array;
    } finally {
      await session.release();
    }
  }

  /** Runs a model before and after `rewrite` on each set of input shapes; the outputs must agree. */
  async function expectSameOutputs(
    model: Model,
    rewrite: (model: Model) => number,
    shapes: Record<string, number[]>[],
  ) {
    const before = onnx.ModelProto.encode(model).finish();
    const rewritten = onnx.ModelProto.decode(before);
    const count = rewrite(rewritten);
    for (const inputs of shapes) {
      const [expected, actual] = [
        await run(onnx.ModelProto.decode(before), inputs),
        await run(rewritten, inputs),
      ];
      expect(actual).toHaveLength(expected.length);
      const worst = Math.max(...expected.map((v, i) => Math.abs(v - actual[i]!)));
      expect(worst).toBeLessThan(1e-4 * Math.max(...expected.map(Math.abs)));
    }
    return { count, rewritten };
  }

  function convModel(attributes: Record<string, AttributeValue>, shape: Dim[], bias = true) {
    const g = new GraphBuilder('conv');
    const x = g.input('x', 'float32', shape);
    const kernel = g.weight('kernel', [5, 3, 4, 4], () => values(5 * 3 * 16, 7));
    const inputs = bias ? [x, kernel, g.weight('bias', [5], () => values(5, 9))] : [x, kernel];
    g.output(g.op('Conv', inputs, attributes), 'y', 'float32', ['batch', 5, 'rows', 'columns']);
    return built(g);
  }
  const ops = (model: Model) => (model.graph?.node ?? []).map((node) => node.opType);

  it('makes a patch convolution a MatMul that gives the same output, at any image size the patches tile', async () => {
    for (const bias of [true, false]) {
      const model = await convModel(
        { kernel_shape: [4, 4], strides: [4, 4] },
        ['batch', 3, 'height', 'width'],
        bias,
      );
      const { count, rewritten } = await expectSameOutputs(
        model,
        (m) => patchConvolutionsAsMatMuls(m).convolutions,
        [{ x: [2, 3, 8, 12] }, { x: [1, 3, 16, 4] }],
      );
      expect(count).toBe(1);
      expect(ops(rewritten)).not.toContain('Conv');
      expect(ops(rewritten)).toContain('MatMul');
      // The kernel as a Conv weight is gone; its matrix replaces it.
      expect(rewritten.graph!.initializer!.map((t) => t.name)).not.toContain('kernel');
    }
  });

  it('leaves other convolutions alone', async () => {
    const others: [Record<string, AttributeValue>, Dim[]][] = [
      [{ kernel_shape: [4, 4], strides: [2, 2] }, ['batch', 3, 'height', 'width']],
      [{ kernel_shape: [4, 4], strides: [4, 4], pads: [1, 1, 1, 1] }, ['batch', 3, 'height', 'width']],
      [{ kernel_shape: [4, 4], strides: [4, 4], dilations: [2, 2] }, ['batch', 3, 'height', 'width']],
      [{ kernel_shape: [4, 4] }, ['batch', 3, 'height', 'width']],
      // A fixed size the patches do not tile: the Conv drops the remainder, a reshape could not.
      [{ kernel_shape: [4, 4], strides: [4, 4] }, ['batch', 3, 10, 12]],
    ];
    for (const [attributes, shape] of others) {
      const model = await convModel(attributes, shape);
      expect(patchConvolutionsAsMatMuls(model).convolutions).toBe(0);
      expect(ops(model)).toContain('Conv');
      expect(ops(model)).not.toContain('MatMul');
    }
  });

  const NORMALISATION: PixelNormalisation = {
    rescale: 1 / 255,
    mean: [...CLIP_IMAGE_MEAN] as [number, number, number],
    std: [...CLIP_IMAGE_STD] as [number, number, number],
  };

  /**
   * A patch embedding whose output also depends on the image's height, read by Shape as exports read the batch
   * size; with `alsoRead`, another op reads the pixels themselves.
   */
  async function imageModel(alsoRead = false) {
    const g = new GraphBuilder('image');
    const x = g.input('x', 'float32', ['batch', 3, 'height', 'width']);
    const kernel = g.weight('kernel', [5, 3, 4, 4], () => values(5 * 3 * 16, 7));
    const grid = g.op('Conv', [x, kernel], { kernel_shape: [4, 4], strides: [4, 4] });
    const height = g.op('Cast', [g.op('Shape', [x], { start: 2, end: 3 })], {
      to: onnx.TensorProto.DataType.FLOAT,
    });
    let y = g.op('Mul', [grid, height]);
    if (alsoRead) y = g.op('Add', [y, g.op('ReduceMean', [x], { keepdims: 1 })]);
    g.output(y, 'y', 'float32', ['batch', 5, 'rows', 'columns']);
    return built(g);
  }

  /** 8-bit RGB images [B, H, W, 3], and the same as the normalised float CHW tensor the model took before. */
  function pixelFeeds(batch: number, height: number, width: number) {
    const bytes = Uint8Array.from(
      { length: batch * height * width * 3 },
      (_, i) => (i * 37 + (i >> 5)) % 256,
    );
    const floats = new Float32Array(bytes.length);
    const size = height * width * 3;
    for (let n = 0; n < batch; n++) {
      const data = bytes.subarray(n * size, (n + 1) * size);
      writePixels(
        { data, width, height, channels: 3 },
        { ...NORMALISATION, resize: null, crop: null },
        floats,
        n,
      );
    }
    return {
      bytes: new Tensor('uint8', bytes, [batch, height, width, 3]),
      floats: new Tensor('float32', floats, [batch, 3, height, width]),
    };
  }

  async function output(model: Model, x: Tensor): Promise<Float32Array> {
    const session = await openSession(onnx.ModelProto.encode(model).finish(), { threads: 1 });
    try {
      return (await session.run({ x })).y!.data as Float32Array;
    } finally {
      await session.release();
    }
  }

  it('takes 8-bit RGB where the patch embedding reads the image, with the normalisation folded in', async () => {
    const model = await imageModel();
    const before = onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
    expect(patchConvolutionsAsMatMuls(model, NORMALISATION)).toEqual({
      convolutions: 1,
      eightBitInput: true,
    });
    const input = model.graph!.input!.find((i) => i.name === 'x')!.type!.tensorType!;
    expect(input.elemType).toBe(onnx.TensorProto.DataType.UINT8);
    expect(input.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'batch',
      'height',
      'width',
      3,
    ]);
    const quantised = onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
    const report = quantiseMatMuls(quantised);
    expect(report).toMatchObject({ matmuls: 1, byteInputs: 1 });
    // The bytes are multiplied as they are: nothing quantises activations, and their float copy is gone (the
    // Casts left are the height's and the integer product's).
    expect(ops(quantised)).not.toContain('DynamicQuantizeLinear');
    expect(ops(quantised)).not.toContain('Sub');
    expect(ops(quantised).filter((op) => op === 'Cast')).toHaveLength(2);
    // Height ≠ width: a Shape reader that saw the new layout would read the width.
    for (const [batch, height, width] of [
      [2, 8, 12],
      [1, 16, 4],
    ] as const) {
      const { bytes, floats } = pixelFeeds(batch, height, width);
      const expected = await output(before, floats);
      const scale = Math.max(...expected.map(Math.abs));
      const worst = (actual: Float32Array) => Math.max(...expected.map((v, i) => Math.abs(v - actual[i]!)));
      expect(worst(await output(model, bytes))).toBeLessThan(1e-5 * scale);
      // Weights rounded to 7 bits: within a few steps of 1/64 of the largest, and closer than quantising the
      // normalised floats, whose activations are rounded too.
      const floatPath = onnx.ModelProto.decode(onnx.ModelProto.encode(before).finish());
      patchConvolutionsAsMatMuls(floatPath);
      quantiseMatMuls(floatPath);
      const error = worst(await output(quantised, bytes));
      expect(error).toBeLessThan(0.02 * scale);
      expect(error).toBeLessThan(worst(await output(floatPath, floats)));
    }
  });

  it('keeps a float input that other ops read, or when no normalisation is given', async () => {
    for (const [model, normalisation] of [
      [await imageModel(true), NORMALISATION],
      [await imageModel(), undefined],
    ] as const) {
      expect(patchConvolutionsAsMatMuls(model, normalisation)).toEqual({
        convolutions: 1,
        eightBitInput: false,
      });
      const input = model.graph!.input!.find((i) => i.name === 'x')!.type!.tensorType!;
      expect(input.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
      // Only the height's Cast: no patches are cut from bytes.
      expect(ops(model).filter((op) => op === 'Cast')).toHaveLength(1);
    }
  });

  /** q [B, H, S, D] · Transpose(k, perm): attention's scores, as exports write them (k is [B, S, H, D] there). */
  async function scoresModel(perm: number[], alsoRead = false) {
    const g = new GraphBuilder('scores');
    const q = g.input('q', 'float32', ['batch', 3, 5, 4]);
    const k = g.input('k', 'float32', ['batch', 'a', 'b', 'c']);
    const keys = g.op('Transpose', [k], { perm });
    const scores = g.op('MatMul', [q, keys]);
    g.output(
      alsoRead ? g.op('Add', [scores, g.op('ReduceSum', [keys], { keepdims: 1 })]) : scores,
      'y',
      'float32',
      ['batch', 3, 5, 5],
    );
    return built(g);
  }

  it('reads transposed keys in place: whole rows move, the MatMul reads them transposed', async () => {
    const model = await scoresModel([0, 2, 3, 1]);
    const { count, rewritten } = await expectSameOutputs(model, foldTransposesIntoMatMuls, [
      { q: [2, 3, 5, 4], k: [2, 5, 3, 4] },
    ]);
    expect(count).toBe(1);
    const [transpose, product] = rewritten.graph!.node!;
    expect(intsAttribute(transpose!, 'perm')).toEqual([0, 2, 1, 3]);
    expect(product).toMatchObject({ opType: 'FusedMatMul', domain: 'com.microsoft' });
    expect((rewritten.opsetImport ?? []).map((opset) => opset.domain)).toContain('com.microsoft');
  });

  it('drops a transpose that only swapped the last two axes, and leaves one something else reads', async () => {
    const swap = await scoresModel([0, 1, 3, 2]);
    const { count, rewritten } = await expectSameOutputs(swap, foldTransposesIntoMatMuls, [
      { q: [2, 3, 5, 4], k: [2, 3, 5, 4] },
    ]);
    expect(count).toBe(1);
    expect(ops(rewritten)).not.toContain('Transpose');
    expect(ops(rewritten)).toContain('FusedMatMul');

    const shared = await scoresModel([0, 2, 3, 1], true);
    expect(foldTransposesIntoMatMuls(shared)).toBe(0);
    expect(ops(shared)).toContain('MatMul');
  });
});
