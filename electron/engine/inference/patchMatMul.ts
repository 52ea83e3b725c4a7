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
 *
 * Told how pixels are normalised, a Conv that reads the image input itself takes the decoder's 8-bit RGB instead:
 * the input becomes uint8 [B, H, W, 3], the normalisation is folded into the matrix and an offset, and patches are
 * cut from the bytes, each row of k pixels 3k bytes long:
 *
 *   [B, H, W, 3] → Reshape [B, H/k, k, W/k, 3k] → Transpose [B, H/k, W/k, k, 3k] → Reshape [B, P, 3k²] → Cast
 *     → Sub (middle grey) → MatMul [3k², O] + offset → …
 *
 * That moves a quarter of the bytes, spares the inference process normalising every pixel, and lets the quantiser
 * multiply the bytes as they are, with no rounding of the activations (quantiseMatMuls.ts).
 */
import onnxProto from 'onnx-proto';
import type { PreprocessSpec } from '../imaging/preprocessConfig.js';
import { floatValues, intAttribute, intsAttribute, int64Tensor, uniqueNames } from './graphEdits.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.IModelProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;
type ValueInfo = onnxProto.onnx.IValueInfoProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const UINT8 = onnx.TensorProto.DataType.UINT8;

/** How 8-bit pixels become the model's input: (value · rescale − mean[c]) / std[c]. */
export type PixelNormalisation = Pick<PreprocessSpec, 'rescale' | 'mean' | 'std'>;

export interface PatchReport {
  /** Patch-embedding convolutions made MatMuls. */
  convolutions: number;
  /** Whether the image input now takes 8-bit RGB [B, H, W, 3]. */
  eightBitInput: boolean;
}

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

/** The Conv kernel [O, C, k, k] as the matrix [C·k·k, O] that multiplies flattened CHW patches. */
function kernelMatrix(kernel: Float32Array, outputs: number, patchValues: number): Float32Array {
  const matrix = new Float32Array(kernel.length);
  for (let o = 0; o < outputs; o++)
    for (let j = 0; j < patchValues; j++) matrix[j * outputs + o] = kernel[o * patchValues + j]!;
  return matrix;
}

/**
 * The Conv kernel [O, 3, k, k] as the matrix [k·k·3, O] that multiplies flattened 8-bit HWC patches less `zero`,
 * each channel's scale folded in, and the offset [O] that makes up the rest of the normalisation:
 * Σ w·(v·scale − shift) = Σ (w·scale)·(v − zero) + Σ w·(zero·scale − shift).
 */
function pixelMatrix(
  kernel: Float32Array,
  outputs: number,
  k: number,
  zero: number,
  pixels: PixelNormalisation,
) {
  const area = k * k;
  const matrix = new Float32Array(kernel.length);
  const offset = new Float32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let sum = 0;
    for (let c = 0; c < 3; c++) {
      const scale = pixels.rescale / pixels.std[c]!;
      const rest = zero * scale - pixels.mean[c]! / pixels.std[c]!;
      for (let p = 0; p < area; p++) {
        const weight = kernel[(o * 3 + c) * area + p]!;
        matrix[(p * 3 + c) * outputs + o] = weight * scale;
        sum += weight * rest;
      }
    }
    offset[o] = sum;
  }
  return { matrix, offset };
}

/**
 * The byte that normalises nearest to zero across the channels. Patches are multiplied less it, so that the
 * rounding of the int8 weights errs around the image's middle grey, not around black.
 */
function middleByte({ rescale, mean }: PixelNormalisation): number {
  const centre = (mean[0] + mean[1] + mean[2]) / 3 / rescale;
  return Math.max(0, Math.min(255, Math.round(centre)));
}

const floatTensor = (name: string, dims: number[], data: Float32Array): Tensor => ({
  name,
  dataType: FLOAT,
  dims,
  rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});

/**
 * Rewrites every patch-embedding Conv of `model` in place (see the top of this file). With `normalisation`, a
 * Conv that is the image input's only reader (besides Shape) makes that input 8-bit RGB.
 */
export function patchConvolutionsAsMatMuls(model: Model, normalisation?: PixelNormalisation): PatchReport {
  const graph = model.graph;
  if (!graph) return { convolutions: 0, eightBitInput: false };
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const inputDims = new Map(
    (graph.input ?? []).map((input) => [
      input.name ?? '',
      input.type?.tensorType?.shape?.dim?.map((dim) =>
        dim.dimValue == null ? undefined : Number(dim.dimValue),
      ),
    ]),
  );
  const readers = (name: string) => (graph.node ?? []).filter((n) => n.input?.includes(name));
  const outputs = new Set((graph.output ?? []).map((output) => output.name));
  /** The graph's float image input [B, 3, H, W] that only `conv` and Shape nodes read, or undefined. */
  const imageInput = (conv: Node, name: string) => {
    const input = graph.input?.find((i) => i.name === name);
    const type = input?.type?.tensorType;
    if (type?.elemType !== FLOAT || type.shape?.dim?.length !== 4 || outputs.has(name)) return undefined;
    const channels = type.shape.dim[1]!;
    if (channels.dimValue != null && Number(channels.dimValue) !== 3) return undefined;
    return readers(name).every((n) => n === conv || (n.opType === 'Shape' && !n.domain)) ? input : undefined;
  };
  const fresh = uniqueNames(graph);
  const nodes: Node[] = [];
  const added = new Map<string, Tensor>();
  const replaced = new Set<string>();
  const constants = (base: string) => (ints: number[]) => {
    const name = `${base}/const_${ints.join('_')}`;
    added.set(name, int64Tensor(name, ints));
    return name;
  };
  /** The Shape nodes the rewrites add, which read the image as it now is. */
  const ownShapes = new Set<Node>();
  let eightBit: { input: ValueInfo; patches: string } | undefined;
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
    const [outputCount, channels] = kernel.dims!.map(Number) as [number, number];
    const patchValues = channels * k * k;
    const image = normalisation && !eightBit && channels === 3 ? imageInput(node, pixels) : undefined;
    const base = fresh(`${node.name || 'patch_embedding'}/as_matmul`);
    const v = (name: string) => `${base}/${name}`;
    const constant = constants(base);
    const op = (opType: string, input: string[], out: string, attribute: Node['attribute'] = []): Node => ({
      opType,
      name: v(`${opType}_${out.split('/').pop()}`),
      input,
      output: [out],
      attribute,
    });
    const perm = (ints: number[]) => [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints }];
    const concat = (inputs: string[], out: string) => op('Concat', inputs, out, [intAttribute('axis', 0)]);
    // [H/k, W/k], read from the image so that any size divisible by k works; a 0 in a Reshape keeps the batch.
    const shape = op('Shape', [pixels], v('shape'));
    ownShapes.add(shape);
    const grid = (sizeAxes: [number, number]) => [
      shape,
      op('Slice', [v('shape'), constant([sizeAxes[0]]), constant([sizeAxes[1]])], v('size')),
      op('Div', [v('size'), constant([k])], v('grid')),
      op('Slice', [v('grid'), constant([0]), constant([1])], v('rows')),
      op('Slice', [v('grid'), constant([1]), constant([2])], v('columns')),
    ];
    const matrix = v('matrix');
    let product = v('product');
    if (image) {
      const zero = middleByte(normalisation!);
      const folded = pixelMatrix(values, outputCount, k, zero, normalisation!);
      added.set(matrix, floatTensor(matrix, [patchValues, outputCount], folded.matrix));
      added.set(v('offset'), floatTensor(v('offset'), [outputCount], folded.offset));
      added.set(v('zero'), floatTensor(v('zero'), [], Float32Array.of(zero)));
      eightBit = { input: image, patches: v('patches') };
      nodes.push(
        ...grid([1, 3]),
        concat([constant([0]), v('rows'), constant([k]), v('columns'), constant([3 * k])], v('split_shape')),
        op('Reshape', [pixels, v('split_shape')], v('split')),
        op('Transpose', [v('split')], v('patch_major'), perm([0, 1, 3, 2, 4])),
        op('Reshape', [v('patch_major'), constant([0, -1, patchValues])], v('patches')),
        op('Cast', [v('patches')], v('patch_values'), [intAttribute('to', FLOAT)]),
        op('Sub', [v('patch_values'), v('zero')], v('centred')),
        op('MatMul', [v('centred'), matrix], v('scaled')),
        op('Add', [v('scaled'), v('offset')], product),
      );
    } else {
      added.set(
        matrix,
        floatTensor(matrix, [patchValues, outputCount], kernelMatrix(values, outputCount, patchValues)),
      );
      nodes.push(
        ...grid([2, 4]),
        concat(
          [constant([0, channels]), v('rows'), constant([k]), v('columns'), constant([k])],
          v('split_shape'),
        ),
        op('Reshape', [pixels, v('split_shape')], v('split')),
        op('Transpose', [v('split')], v('patch_major'), perm([0, 2, 4, 1, 3, 5])),
        op('Reshape', [v('patch_major'), constant([0, -1, patchValues])], v('patches')),
        op('MatMul', [v('patches'), matrix], product),
      );
    }
    if (bias) {
      nodes.push(op('Add', [product, bias], v('embedded')));
      product = v('embedded');
    }
    nodes.push(
      op('Transpose', [product], v('channels_first'), perm([0, 2, 1])),
      concat([constant([0, outputCount]), v('grid')], v('output_shape')),
      op('Reshape', [v('channels_first'), v('output_shape')], output),
    );
    replaced.add(kernelName!);
    rewritten++;
  }
  if (rewritten === 0) return { convolutions: 0, eightBitInput: false };
  let final = nodes;
  if (eightBit) {
    const base = fresh(`${eightBit.input.name}/as_nchw`);
    final = takeEightBitPixels(nodes, eightBit.input, ownShapes, base, constants(base));
    // The quantiser multiplies these bytes as they are (quantiseMatMuls.ts).
    graph.valueInfo = [
      ...(graph.valueInfo ?? []),
      { name: eightBit.patches, type: { tensorType: { elemType: UINT8 } } },
    ];
  }
  // A kernel nothing reads any more is dropped; one read elsewhere too is kept.
  const read = new Set(final.flatMap((n) => n.input ?? []));
  const unused = new Set([...replaced].filter((name) => !read.has(name)));
  graph.initializer = [
    ...(graph.initializer ?? []).filter((t) => !unused.has(t.name ?? '')),
    ...added.values(),
  ];
  graph.input = (graph.input ?? []).filter((input) => !unused.has(input.name ?? ''));
  graph.node = final;
  return { convolutions: rewritten, eightBitInput: eightBit !== undefined };
}

/**
 * Makes the image input 8-bit RGB [B, H, W, 3]. Its other Shape readers, written for [B, 3, H, W], read the shape
 * it had instead, so that what they compute (the batch size, say) is unchanged.
 */
function takeEightBitPixels(
  nodes: Node[],
  input: ValueInfo,
  ownShapes: Set<Node>,
  base: string,
  constant: (ints: number[]) => string,
): Node[] {
  const type = input.type!.tensorType!;
  const [batch, , height, width] = type.shape!.dim!;
  type.elemType = UINT8;
  type.shape!.dim = [batch!, height!, width!, { dimValue: 3 }];
  const name = input.name!;
  const shape = `${base}/shape`;
  const nchw = `${base}/nchw_shape`;
  const asBefore = nodes.map((node): Node => {
    if (node.opType !== 'Shape' || node.input?.[0] !== name || ownShapes.has(node)) return node;
    const start = intsAttribute(node, 'start')?.[0] ?? 0;
    const end = intsAttribute(node, 'end')?.[0] ?? 4;
    return { ...node, opType: 'Slice', input: [nchw, constant([start]), constant([end])], attribute: [] };
  });
  return [
    { opType: 'Shape', name: `${base}/Shape`, input: [name], output: [shape] },
    {
      opType: 'Gather',
      name: `${base}/Gather`,
      input: [shape, constant([0, 3, 1, 2])],
      output: [nchw],
      attribute: [intAttribute('axis', 0)],
    },
    ...asBefore,
  ];
}
