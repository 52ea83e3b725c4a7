import { readFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { intsAttribute } from '../../electron/engine/inference/graphEdits.js';
import { openSession, Tensor } from '../../electron/engine/inference/onnxRuntime.js';
import { patchConvolutionsAsMatMuls } from '../../electron/engine/inference/patchMatMul.js';
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
      const { count, rewritten } = await expectSameOutputs(model, patchConvolutionsAsMatMuls, [
        { x: [2, 3, 8, 12] },
        { x: [1, 3, 16, 4] },
      ]);
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
      expect(patchConvolutionsAsMatMuls(model)).toBe(0);
      expect(ops(model)).toContain('Conv');
      expect(ops(model)).not.toContain('MatMul');
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
