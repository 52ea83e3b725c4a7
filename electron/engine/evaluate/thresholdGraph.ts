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
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { FLOAT, INT32 } = onnx.TensorProto.DataType;
const { INT } = onnx.AttributeProto.AttributeType;
/** GreaterOrEqual is in the default domain from opset 12. */
const OPSET = 17;

function tensorInfo(name: string, elemType: number, dims: readonly (string | number)[]) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** The serialised model, ready for `InferenceSession.create`. */
export function thresholdGraph(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'clipsort',
    graph: {
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
    },
  }).finish();
}
