/**
 * A four-node ONNX graph, built in memory, that finds where one block of rows meets another above a cut:
 *
 *   Gemm(a, b, transB) → GreaterOrEqual(·, cut) → NonZero → Cast(int32)
 *
 * Inputs `a` (m × d), `b` (n × d) and the scalar `cut`, all float32, with dynamic m, n and d, so one session
 * serves every block. The output `at` (2 × k, int32) holds the row in `a` and the row in `b` of each of the k
 * products at or above the cut, row-major: the scan of the m × n products runs natively too, and only the few
 * hits cross into JavaScript.
 */
import { encodeGraph, onnx, tensorInfo } from '../inference/memoryGraph.js';

const { FLOAT, INT32 } = onnx.TensorProto.DataType;
const { INT } = onnx.AttributeProto.AttributeType;

/** The serialised model, ready for `InferenceSession.create`. */
export function thresholdGraph(): Uint8Array {
  return encodeGraph({
    name: 'threshold',
    node: [
      {
        opType: 'Gemm',
        input: ['a', 'b'],
        output: ['dots'],
        attribute: [{ name: 'transB', i: 1, type: INT }],
      },
      { opType: 'GreaterOrEqual', input: ['dots', 'cut'], output: ['hit'] },
      { opType: 'NonZero', input: ['hit'], output: ['where'] },
      {
        opType: 'Cast',
        input: ['where'],
        output: ['at'],
        attribute: [{ name: 'to', i: INT32, type: INT }],
      },
    ],
    input: [
      tensorInfo('a', FLOAT, ['m', 'd']),
      tensorInfo('b', FLOAT, ['n', 'd']),
      tensorInfo('cut', FLOAT, []),
    ],
    output: [tensorInfo('at', INT32, [2, 'k'])],
  });
}
