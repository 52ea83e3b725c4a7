/**
 * One ONNX graph, built in memory, that scores every row of a block against a set of rows and, optionally,
 * keeps only the best `k` of each:
 *
 *   Gemm(a, b, offsets; transB, β = −1) → scores = a·bᵀ − offsets   [→ TopK(scores, k)]
 *
 * Inputs `a` (m × d) and `b` (n × d), float32, `offsets` (n), and for the top-k form `k` (int64, one value),
 * all dimensions dynamic. Without the top-k the graph is a projection onto the rows of `b` (PCA axes, with
 * the mean's coordinates as offsets); with it, a nearest-neighbour search (offsets ‖b‖²/2 rank by Euclidean
 * distance, zeros by cosine), whose products never leave native memory. TopK puts the lower index first
 * among equal scores, as the JavaScript search does.
 */
import { encodeGraph, onnx, tensorInfo } from '../inference/memoryGraph.js';

const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const { INT, FLOAT: FLOAT_ATTRIBUTE } = onnx.AttributeProto.AttributeType;

/** The serialised model: `scores` (m × n), or with `topK` the best `values` and their `indices` (m × k). */
export function scoreGraph({ topK }: { topK: boolean }): Uint8Array {
  const gemm = {
    opType: 'Gemm',
    input: ['a', 'b', 'offsets'],
    output: ['scores'],
    attribute: [
      { name: 'transB', i: 1, type: INT },
      { name: 'beta', f: -1, type: FLOAT_ATTRIBUTE },
    ],
  };
  const inputs = [
    tensorInfo('a', FLOAT, ['m', 'd']),
    tensorInfo('b', FLOAT, ['n', 'd']),
    tensorInfo('offsets', FLOAT, ['n']),
  ];
  if (!topK) {
    return encodeGraph({
      name: 'scores',
      node: [gemm],
      input: inputs,
      output: [tensorInfo('scores', FLOAT, ['m', 'n'])],
    });
  }
  return encodeGraph({
    name: 'best scores',
    node: [
      gemm,
      {
        opType: 'TopK',
        input: ['scores', 'k'],
        output: ['values', 'indices'],
        attribute: [{ name: 'axis', i: 1, type: INT }],
      },
    ],
    input: [...inputs, tensorInfo('k', INT64, [1])],
    output: [tensorInfo('values', FLOAT, ['m', 'k']), tensorInfo('indices', INT64, ['m', 'k'])],
  });
}
