/** Small helpers for the rewrites ClipSort makes to ONNX graphs before running them in int8. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Graph = onnxProto.onnx.IGraphProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

/** A node's integer-list attribute, or undefined where it has none. */
export function intsAttribute(node: Node, name: string): number[] | undefined {
  const attribute = node.attribute?.find((a) => a.name === name);
  if (!attribute) return undefined;
  if (attribute.type === onnx.AttributeProto.AttributeType.INT) return [Number(attribute.i ?? 0)];
  return (attribute.ints ?? []).map(Number);
}

/** An integer attribute (an axis, a Cast's type, a flag). */
export function intAttribute(name: string, value: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** A 1-D int64 initializer (the shapes and indices that Reshape, Slice and friends take). */
export function int64Tensor(name: string, values: number[]): Tensor {
  const data = BigInt64Array.from(values, (value) => BigInt(value));
  return {
    name,
    dataType: onnx.TensorProto.DataType.INT64,
    dims: [values.length],
    rawData: new Uint8Array(data.buffer),
  };
}

/** A function that returns names no node, tensor or input of `graph` uses yet, nor any it returned before. */
export function uniqueNames(graph: Graph): (base: string) => string {
  const taken = new Set<string>();
  for (const node of graph.node ?? [])
    for (const name of [node.name, ...(node.output ?? [])]) taken.add(name ?? '');
  for (const tensor of graph.initializer ?? []) taken.add(tensor.name ?? '');
  for (const input of graph.input ?? []) taken.add(input.name ?? '');
  return (base) => {
    let name = base;
    for (let n = 1; [...taken].some((used) => used === name || used.startsWith(`${name}/`)); n++) {
      name = `${base}_${n}`;
    }
    taken.add(name);
    return name;
  };
}

/** A tensor's float32 values, from raw_data (little-endian, as ONNX stores them) or float_data. */
export function floatValues(tensor: Tensor): Float32Array {
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const copy = new Uint8Array(raw);
    return new Float32Array(copy.buffer, 0, copy.length / 4);
  }
  return Float32Array.from(tensor.floatData ?? []);
}
