/**
 * A vision transformer's patch embedding as a MatMul, so that the int8 quantiser reaches it: a `Conv` whose
 * kernel is as large as its stride (each output pixel sees one patch, and each patch is seen once) is the same as
 * cutting the image into patches and multiplying each patch, flattened, by the kernel as a matrix:
 *
 *   [B, C, H, W] → Reshape [B, C, H/k, k, W/k, k] → Transpose [B, H/k, W/k, C, k, k] → Reshape [B, P, C·k·k]
 *     → MatMul [C·k·k, O] (+ bias) → Transpose, Reshape → [B, O, H/k, W/k]
 *
 * The transposes move whole rows of k pixels, which is cheap; measured on ViT-B/32 at batch 8, the float Conv took
 * 5% of the int8 encoder's time. The image size is read at run time, so models that take any size keep doing so.
 */
import onnxProto from 'onnx-proto';
import { floatValues, intsAttribute, int64Tensor, uniqueNames } from './graphEdits.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.IModelProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** The patch size of a Conv that embeds patches, or undefined for any other convolution. */
function patchSize(node: Node, kernel: Tensor, inputDims: (number | undefined)[] | undefined) {
  if (node.opType !== 'Conv' || node.domain || kernel.dims?.length !== 4) return undefined;
  const [kh, kw] = kernel.dims.slice(2).map(Number) as [number, number];
  const ints = (name: string) => intsAttribute(node, name);
  const same = (values: number[] | undefined, expected: number[]) =>
    values === undefined || values.every((v, i) => v === expected[i % expected.length]);
  const autoPad = node.attribute?.find((a) => a.name === 'auto_pad')?.s;
  const padding = autoPad ? new TextDecoder().decode(autoPad) : 'NOTSET';
  const strides = ints('strides');
  const square =
    kh === kw &&
    same(ints('kernel_shape'), [kh, kw]) &&
    strides !== undefined &&
    same(strides, [kh, kw]) &&
    same(ints('dilations'), [1]) &&
    same(ints('pads'), [0]) &&
    same(ints('group'), [1]) &&
    (padding === 'NOTSET' || padding === 'VALID');
  // Where the graph fixes the image size, the patches must tile it (the Conv would drop a remainder).
  const tiles = (inputDims ?? []).slice(2).every((size) => size === undefined || size % kh === 0);
  return square && tiles ? kh : undefined;
}

/** The Conv kernel [O, C, k, k] as the matrix [C·k·k, O] that multiplies flattened patches. */
function kernelMatrix(kernel: Float32Array, outputs: number, patchValues: number): Float32Array {
  const matrix = new Float32Array(kernel.length);
  for (let o = 0; o < outputs; o++)
    for (let j = 0; j < patchValues; j++) matrix[j * outputs + o] = kernel[o * patchValues + j]!;
  return matrix;
}

/** Rewrites every patch-embedding Conv of `model` in place (see the top of this file); returns how many. */
export function patchConvolutionsAsMatMuls(model: Model): number {
  const graph = model.graph;
  if (!graph) return 0;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const inputDims = new Map(
    (graph.input ?? []).map((input) => [
      input.name ?? '',
      input.type?.tensorType?.shape?.dim?.map((dim) =>
        dim.dimValue == null ? undefined : Number(dim.dimValue),
      ),
    ]),
  );
  const fresh = uniqueNames(graph);
  const nodes: Node[] = [];
  const added = new Map<string, Tensor>();
  const replaced = new Set<string>();
  let rewritten = 0;
  for (const node of graph.node ?? []) {
    const [pixels, kernelName, bias] = node.input ?? [];
    const kernel = initializers.get(kernelName ?? '');
    const k = kernel && pixels ? patchSize(node, kernel, inputDims.get(pixels)) : undefined;
    const output = node.output?.[0];
    if (!kernel || kernel.dataType !== FLOAT || k === undefined || !pixels || !output) {
      nodes.push(node);
      continue;
    }
    const values = floatValues(kernel);
    const [outputs, channels] = kernel.dims!.map(Number) as [number, number];
    const patchValues = channels * k * k;
    const base = fresh(`${node.name || 'patch_embedding'}/as_matmul`);
    const v = (name: string) => `${base}/${name}`;
    const constant = (ints: number[]) => {
      const name = v(`const_${ints.join('_')}`);
      added.set(name, int64Tensor(name, ints));
      return name;
    };
    const matrix = v('matrix');
    added.set(matrix, {
      name: matrix,
      dataType: FLOAT,
      dims: [patchValues, outputs],
      rawData: new Uint8Array(kernelMatrix(values, outputs, patchValues).buffer),
    });
    const op = (opType: string, input: string[], out: string, attribute: Node['attribute'] = []): Node => ({
      opType,
      name: v(`${opType}_${out.split('/').pop()}`),
      input,
      output: [out],
      attribute,
    });
    const perm = (ints: number[]) => [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints }];
    const concat = (inputs: string[], out: string) =>
      op('Concat', inputs, out, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]);
    const product = bias ? v('product') : v('embedded');
    nodes.push(
      // [H/k, W/k], read from the image so that any size divisible by k works.
      op('Shape', [pixels], v('shape')),
      op('Slice', [v('shape'), constant([2]), constant([4])], v('size')),
      op('Div', [v('size'), constant([k])], v('grid')),
      op('Slice', [v('grid'), constant([0]), constant([1])], v('rows')),
      op('Slice', [v('grid'), constant([1]), constant([2])], v('columns')),
      // A 0 in a Reshape shape keeps that axis (the batch).
      concat(
        [constant([0, channels]), v('rows'), constant([k]), v('columns'), constant([k])],
        v('split_shape'),
      ),
      op('Reshape', [pixels, v('split_shape')], v('split')),
      op('Transpose', [v('split')], v('patch_major'), perm([0, 2, 4, 1, 3, 5])),
      op('Reshape', [v('patch_major'), constant([0, -1, patchValues])], v('patches')),
      op('MatMul', [v('patches'), matrix], product),
      ...(bias ? [op('Add', [product, bias], v('embedded'))] : []),
      op('Transpose', [v('embedded')], v('channels_first'), perm([0, 2, 1])),
      concat([constant([0, outputs]), v('grid')], v('output_shape')),
      op('Reshape', [v('channels_first'), v('output_shape')], output),
    );
    replaced.add(kernelName!);
    rewritten++;
  }
  if (rewritten === 0) return 0;
  // A kernel nothing reads any more is dropped; one read elsewhere too is kept.
  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  const unused = new Set([...replaced].filter((name) => !read.has(name)));
  graph.initializer = [
    ...(graph.initializer ?? []).filter((t) => !unused.has(t.name ?? '')),
    ...added.values(),
  ];
  graph.input = (graph.input ?? []).filter((input) => !unused.has(input.name ?? ''));
  graph.node = nodes;
  return rewritten;
}
