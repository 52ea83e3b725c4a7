import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ELEMENT_TYPES, float, GraphBuilder, parameterCount, type OnnxModel } from './graphBuilder.js';
import { writeModel } from './modelWriter.js';
import { onnx } from './proto.js';

const TO_OBJECT = { longs: Number, bytes: Array, defaults: false } as const;

/** Encodes the whole model at once with protobufjs, initializers inline: what the streaming writer replaces. */
function encodeAtOnce(model: OnnxModel): Uint8Array {
  const initializer = model.initializers.map((tensor) => {
    const data = tensor.data();
    return {
      name: tensor.name,
      dims: [...tensor.dims],
      dataType: ELEMENT_TYPES[tensor.elementType].proto,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  });
  return onnx.ModelProto.encode({ ...model.proto, graph: { ...model.proto.graph, initializer } }).finish();
}

function smallModel(): OnnxModel {
  const g = new GraphBuilder('small');
  const x = g.input('x', 'float32', ['batch', 5000]);
  // 5000 × 3 floats: a length that needs a three-byte varint.
  const w = g.weight('w', [5000, 3], () => Float32Array.from({ length: 15000 }, (_, index) => index / 7));
  const normed = g.op(
    'LayerNormalization',
    [g.op('MatMul', [x, w]), g.weight('s', [3], () => Float32Array.of(1, 1, 1))],
    {
      axis: -1,
      epsilon: float(1e-5),
    },
  );
  const reshaped = g.op('Reshape', [normed, g.int64s([0, 3])]);
  g.output(reshaped, 'y', 'float32', ['batch', 3]);
  return g.build({ producerName: 'test' });
}

describe('writeModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onnx-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a file that decodes to the same model as encoding it all at once', () => {
    const model = smallModel();
    const path = join(dir, 'model.onnx');
    const bytes = writeModel(path, model);
    const file = readFileSync(path);
    expect(file.length).toBe(bytes);
    const streamed = onnx.ModelProto.toObject(onnx.ModelProto.decode(file), TO_OBJECT);
    const atOnce = onnx.ModelProto.toObject(onnx.ModelProto.decode(encodeAtOnce(model)), TO_OBJECT);
    expect(streamed).toEqual(atOnce);
    expect(file.length).toBe(encodeAtOnce(model).length);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('counts learned weights, not structural constants', () => {
    expect(parameterCount(smallModel())).toBe(15003);
  });

  it('refuses weight data that does not fit the dimensions, leaving no file', () => {
    const g = new GraphBuilder('wrong');
    g.output(
      g.weight('w', [2, 2], () => new Float32Array(3)),
      'y',
      'float32',
      [2, 2],
    );
    const path = join(dir, 'wrong.onnx');
    expect(() => writeModel(path, g.build({ producerName: 'test' }))).toThrow(/w: made 12 bytes/);
    expect(existsSync(path) || existsSync(`${path}.partial`)).toBe(false);
  });
});

describe('GraphBuilder', () => {
  it('refuses two values with the same name', () => {
    const g = new GraphBuilder('twice');
    g.input('x', 'float32', [1]);
    expect(() => g.weight('x', [1], () => new Float32Array(1))).toThrow(/already has a value named x/);
  });

  it('refuses a fractional number as an integer attribute', () => {
    const g = new GraphBuilder('attributes');
    const x = g.input('x', 'float32', [1]);
    expect(() => g.op('LayerNormalization', [x], { epsilon: 1e-5 })).toThrow(/use float/);
  });

  it('shares small constants with the same values', () => {
    const g = new GraphBuilder('shared');
    expect(g.int64s([0, 3])).toBe(g.int64s([0, 3]));
    expect(g.int64s([0, 3])).not.toBe(g.int64s([0, 4]));
    expect(g.scalar(1.702)).toBe(g.scalar(1.702));
  });
});
