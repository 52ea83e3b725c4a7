/**
 * Dynamic int8 quantisation of an ONNX graph's weight MatMuls, as onnxruntime's own `quantize_dynamic` lays it out
 * (so that its DynamicQuantizeMatMulFusion turns each into one VNNI kernel): every `MatMul` whose second input is
 * a 2-D float32 initializer becomes
 *
 *   DynamicQuantizeLinear(A) → MatMulInteger(A_u8, W_s8, A_zero) → Cast(float) → Mul(·, A_scale × W_scale)
 *
 * with W quantised per output column, symmetrically (zero point 0, scale max|W[:, j]| / 127), and the activations
 * per tensor at run time. Everything else (the embeddings, LayerNorm, attention's own products) stays float32.
 */
import onnxProto from 'onnx-proto';
import { ClipSortError } from '../errors.js';
import { floatValues } from './graphEdits.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.IModelProto;
type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;
/** DynamicQuantizeLinear is in the default domain from opset 11. */
const MIN_OPSET = 11;
const INT8_MAX = 127;

export interface QuantiseReport {
  /** MatMuls replaced. */
  matmuls: number;
  /** Weights quantised (one MatMul may share another's). */
  weights: number;
  /** Parameters now stored in 8 bits. */
  parameters: number;
}

/** Per-column symmetric int8 weights of a K × N row-major matrix, and each column's scale. */
export function quantiseColumns(
  weights: Float32Array,
  rows: number,
  columns: number,
): { values: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(columns);
  for (let i = 0; i < rows; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) scales[j] = Math.max(scales[j]!, Math.abs(weights[row + j]!));
  }
  // An all-zero column keeps scale 1, so that nothing divides by zero and it stays zero.
  for (let j = 0; j < columns; j++) scales[j] = scales[j]! > 0 ? scales[j]! / INT8_MAX : 1;
  const values = new Int8Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const q = Math.round(weights[row + j]! / scales[j]!);
      values[row + j] = Math.max(-INT8_MAX, Math.min(INT8_MAX, q));
    }
  }
  return { values, scales };
}

function defaultOpset(model: Model): number {
  const entry = model.opsetImport?.find((opset) => !opset.domain || opset.domain === 'ai.onnx');
  return Number(entry?.version ?? 0);
}

/**
 * Rewrites `model` in place (see the top of this file) and says what it changed. External weights must have been
 * read into the tensors first. A model with nothing to quantise, or of an opset too old for
 * DynamicQuantizeLinear, is refused with `model-unsupported`.
 */
export function quantiseMatMuls(model: Model): QuantiseReport {
  const graph = model.graph;
  if (!graph) throw new ClipSortError('model-unsupported', 'The model file has no graph.');
  const opset = defaultOpset(model);
  if (opset < MIN_OPSET) {
    throw new ClipSortError(
      'model-unsupported',
      `The model uses ONNX opset ${opset}; int8 needs opset ${MIN_OPSET} or later. Use full precision.`,
    );
  }
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const uses = new Map<string, number>();
  for (const node of graph.node ?? [])
    for (const input of node.input ?? []) uses.set(input, (uses.get(input) ?? 0) + 1);

  const quantised = new Map<string, { values: string; scale: string }>();
  const activations = new Map<string, { values: string; scale: string; zero: string }>();
  const added: Tensor[] = [];
  const nodes: Node[] = [];
  let matmuls = 0;
  let parameters = 0;
  let serial = 0;
  const fresh = (base: string) => `${base}/int8_${serial++}`;

  for (const node of graph.node ?? []) {
    const [a, b] = node.input ?? [];
    const weight = b === undefined ? undefined : initializers.get(b);
    const isWeightMatMul =
      node.opType === 'MatMul' &&
      !node.domain &&
      a !== undefined &&
      weight?.dataType === FLOAT &&
      weight.dims?.length === 2;
    if (!isWeightMatMul) {
      nodes.push(node);
      continue;
    }
    const [rows, columns] = weight.dims!.map(Number) as [number, number];
    let w = quantised.get(b!);
    if (!w) {
      const { values, scales } = quantiseColumns(floatValues(weight), rows, columns);
      w = { values: `${b}_int8`, scale: `${b}_scale` };
      added.push(
        { name: w.values, dataType: INT8, dims: [rows, columns], rawData: new Uint8Array(values.buffer) },
        { name: w.scale, dataType: FLOAT, dims: [columns], rawData: new Uint8Array(scales.buffer) },
      );
      quantised.set(b!, w);
      parameters += rows * columns;
    }
    let x = activations.get(a);
    if (!x) {
      x = { values: `${a}_u8`, scale: `${a}_scale`, zero: `${a}_zero` };
      nodes.push({
        opType: 'DynamicQuantizeLinear',
        name: fresh(`${a}/quantise`),
        input: [a],
        output: [x.values, x.scale, x.zero],
      });
      activations.set(a, x);
    }
    const name = node.name || fresh('matmul');
    const product = `${name}/int32`;
    const asFloat = `${name}/float`;
    const scale = `${name}/scale`;
    nodes.push(
      {
        opType: 'MatMulInteger',
        name: `${name}/MatMulInteger`,
        input: [x.values, w.values, x.zero],
        output: [product],
      },
      { opType: 'Mul', name: `${name}/ScaleProduct`, input: [x.scale, w.scale], output: [scale] },
      {
        opType: 'Cast',
        name: `${name}/Cast`,
        input: [product],
        output: [asFloat],
        attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
      },
      { opType: 'Mul', name: `${name}/Rescale`, input: [asFloat, scale], output: [...(node.output ?? [])] },
    );
    matmuls++;
    uses.set(b!, uses.get(b!)! - 1);
  }
  if (matmuls === 0) {
    throw new ClipSortError(
      'model-unsupported',
      'The model has no weight MatMul to quantise; use full precision.',
    );
  }
  // Float weights no node reads any more are dropped; one still read elsewhere (a tied embedding) is kept.
  const unused = new Set([...quantised.keys()].filter((name) => (uses.get(name) ?? 0) === 0));
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !unused.has(t.name ?? '')), ...added];
  graph.input = (graph.input ?? []).filter((input) => !unused.has(input.name ?? ''));
  graph.node = nodes;
  return { matmuls, weights: quantised.size, parameters };
}
