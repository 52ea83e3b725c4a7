/**
 * Dynamic int8 quantisation of an ONNX graph's weight MatMuls, as onnxruntime's own `quantize_dynamic` lays it out
 * (so that its DynamicQuantizeMatMulFusion turns each into one VNNI kernel): every `MatMul` whose second input is
 * a 2-D float32 initializer becomes
 *
 *   DynamicQuantizeLinear(A) → MatMulInteger(A_u8, W_s8, A_zero) → Cast(float) → Mul(·, A_scale × W_scale)
 *
 * with W quantised per output column, symmetrically (zero point 0, scale max|W[:, j]| / 64), and the activations
 * per tensor at run time. Everything else (the embeddings, LayerNorm, attention's own products) stays float32.
 *
 * Weights keep 7 bits, not 8: x86 CPUs without VNNI multiply uint8 by int8 with VPMADDUBSW, which adds each pair
 * of products into a saturating int16. Bytes up to 255 times weights up to 127 overflow it (255 × 127 × 2 > 32767)
 * and the embeddings come out wrong; with |W| ≤ 64 a pair stays within 255 × 64 × 2 = 32640. This is the
 * `reduce_range` of onnxruntime's own quantiser, and costs no speed.
 *
 * An A that is a Cast of bytes (the graph's input or value_info says they are uint8), or that less a whole zero
 * point in 0–255 (patchMatMul.ts cuts image patches so), is exact in uint8 already: MatMulInteger reads those bytes
 * with that zero point, and no activation is rounded.
 */
import onnxProto from 'onnx-proto';
import { ClipSortError } from '../errors.js';
import { floatValues, intAttribute, intsAttribute } from './graphEdits.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.IModelProto;
type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;
const UINT8 = onnx.TensorProto.DataType.UINT8;
/** DynamicQuantizeLinear is in the default domain from opset 11. */
const MIN_OPSET = 11;
/** The largest weight step, so that no pair of uint8 × int8 products saturates 16 bits (see above). */
export const WEIGHT_MAX = 64;

export interface QuantiseReport {
  /** MatMuls replaced. */
  matmuls: number;
  /** Weights quantised (one MatMul may share another's). */
  weights: number;
  /** Parameters now stored in 8 bits. */
  parameters: number;
  /** MatMuls that multiply 8-bit inputs as they are. */
  byteInputs: number;
}

/** Per-column symmetric int8 weights (within ±WEIGHT_MAX) of a K × N row-major matrix, and each column's scale. */
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
  for (let j = 0; j < columns; j++) scales[j] = scales[j]! > 0 ? scales[j]! / WEIGHT_MAX : 1;
  const values = new Int8Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const q = Math.round(weights[row + j]! / scales[j]!);
      values[row + j] = Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, q));
    }
  }
  return { values, scales };
}

interface Bytes {
  /** The uint8 tensor. */
  bytes: string;
  zero: number;
  /** The Cast (and Sub) that make the float values from it. */
  via: Node[];
}

/** Float values that are bytes, or bytes less a zero point, by name. */
function byteValues(
  graph: onnxProto.onnx.IGraphProto,
  initializers: Map<string, Tensor>,
): Map<string, Bytes> {
  const uint8 = new Set(
    [...(graph.input ?? []), ...(graph.valueInfo ?? [])]
      .filter((value) => value.type?.tensorType?.elemType === UINT8)
      .map((value) => value.name),
  );
  const found = new Map<string, Bytes>();
  for (const node of graph.node ?? []) {
    const [input, other] = node.input ?? [];
    const output = node.output?.[0];
    if (node.domain || !input || !output) continue;
    if (node.opType === 'Cast' && intsAttribute(node, 'to')?.[0] === Number(FLOAT) && uint8.has(input)) {
      found.set(output, { bytes: input, zero: 0, via: [node] });
    }
    const source = found.get(input);
    const zero = initializers.get(other ?? '');
    const value = zero?.dataType === FLOAT && !zero.dims?.length ? floatValues(zero)[0] : undefined;
    if (node.opType === 'Sub' && source?.zero === 0 && value !== undefined && Number.isInteger(value)) {
      if (value >= 0 && value <= 255)
        found.set(output, { ...source, zero: value, via: [...source.via, node] });
    }
  }
  return found;
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

  const bytes = byteValues(graph, initializers);
  const quantised = new Map<string, { values: string; scale: string }>();
  const activations = new Map<string, { values: string; scale: string; zero: string }>();
  const added: Tensor[] = [];
  const nodes: Node[] = [];
  let matmuls = 0;
  let parameters = 0;
  let byteInputs = 0;
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
    const name = node.name || fresh('matmul');
    const product = `${name}/int32`;
    const asFloat = `${name}/float`;
    const cast: Node = {
      opType: 'Cast',
      name: `${name}/Cast`,
      input: [product],
      output: [asFloat],
      attribute: [intAttribute('to', FLOAT)],
    };
    const rescale = (scale: string): Node => ({
      opType: 'Mul',
      name: `${name}/Rescale`,
      input: [asFloat, scale],
      output: [...(node.output ?? [])],
    });
    const source = bytes.get(a);
    if (source) {
      const zero = `${name}/zero_point`;
      added.push({ name: zero, dataType: UINT8, dims: [], rawData: Uint8Array.of(source.zero) });
      nodes.push(
        {
          opType: 'MatMulInteger',
          name: `${name}/MatMulInteger`,
          input: [source.bytes, w.values, zero],
          output: [product],
        },
        cast,
        rescale(w.scale),
      );
      uses.set(a, uses.get(a)! - 1);
      byteInputs++;
    } else {
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
      const scale = `${name}/scale`;
      nodes.push(
        {
          opType: 'MatMulInteger',
          name: `${name}/MatMulInteger`,
          input: [x.values, w.values, x.zero],
          output: [product],
        },
        { opType: 'Mul', name: `${name}/ScaleProduct`, input: [x.scale, w.scale], output: [scale] },
        cast,
        rescale(scale),
      );
    }
    matmuls++;
    uses.set(b!, uses.get(b!)! - 1);
  }
  if (matmuls === 0) {
    throw new ClipSortError(
      'model-unsupported',
      'The model has no weight MatMul to quantise; use full precision.',
    );
  }
  // The Casts (and Subs) of bytes that only fed quantised MatMuls are dropped, last first.
  const outputs = new Set((graph.output ?? []).map((output) => output.name));
  const dropped = new Set<Node>();
  const freed = new Set(quantised.keys());
  for (const { via } of bytes.values()) {
    for (const node of [...via].reverse()) {
      const output = node.output![0]!;
      if (dropped.has(node) || uses.get(output) || outputs.has(output)) break;
      dropped.add(node);
      for (const input of node.input ?? []) {
        uses.set(input, (uses.get(input) ?? 0) - 1);
        freed.add(input);
      }
    }
  }
  // Float weights (and zero points) no node reads any more are dropped; one still read elsewhere (a tied
  // embedding) is kept.
  const unused = new Set([...freed].filter((name) => initializers.has(name) && (uses.get(name) ?? 0) === 0));
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !unused.has(t.name ?? '')), ...added];
  graph.input = (graph.input ?? []).filter((input) => !unused.has(input.name ?? ''));
  graph.node = nodes.filter((node) => !dropped.has(node));
  return { matmuls, weights: quantised.size, parameters, byteInputs };
}
