/**
 * A small typed builder for ONNX graphs. Weights are kept as functions that make their data, so a graph the size
 * of CLIP can be built (and its parameters counted) without allocating them; the writer calls each one in turn.
 */
import { onnx, type OnnxTypes } from './proto.js';

/** Element types the builder stores tensors in. */
export type ElementType = 'float32' | 'int64';

/** Element types a graph input may have besides those (8-bit pixels, 32-bit token ids). */
export type InputType = ElementType | 'int32' | 'uint8';

const INPUT_TYPES: Record<InputType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  uint8: onnx.TensorProto.DataType.UINT8,
};

/** A dimension: a fixed size or a symbolic name such as `batch`. */
export type Dim = number | string;

export type TensorData = Float32Array | BigInt64Array;

/** A tensor stored in the graph; `learned` tells weights from structural constants (shapes, masks, scales). */
export interface Initializer {
  readonly name: string;
  readonly elementType: ElementType;
  readonly dims: readonly number[];
  readonly learned: boolean;
  readonly data: () => TensorData;
}

/** A graph ready to be written: the model without initializers, and the initializers to stream after it. */
export interface OnnxModel {
  readonly proto: OnnxTypes.IModelProto;
  readonly initializers: readonly Initializer[];
}

/** A float attribute; plain numbers are integer attributes. */
export interface FloatAttribute {
  readonly float: number;
}

export type AttributeValue = number | readonly number[] | FloatAttribute;

/** Marks an attribute value as a float (`epsilon`, `alpha`), since a plain number is taken as an integer. */
export function float(value: number): FloatAttribute {
  return { float: value };
}

export const ELEMENT_TYPES: Record<ElementType, { proto: number; bytes: number }> = {
  float32: { proto: onnx.TensorProto.DataType.FLOAT, bytes: 4 },
  int64: { proto: onnx.TensorProto.DataType.INT64, bytes: 8 },
};

/** Number of elements of a tensor with these dimensions. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

function valueInfo(name: string, elementType: InputType, shape: readonly Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: INPUT_TYPES[elementType],
        shape: { dim: shape.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new Error(`Attribute ${name} = ${value} is not an integer; use float().`);
    return { name, type: AttributeType.INT, i: value };
  }
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INTS, ints: [...value] };
}

export interface ModelInfo {
  producerName: string;
  docString?: string;
  opset?: number;
  irVersion?: number;
}

/** Collects inputs, initializers, nodes and outputs of one graph, giving every value a unique name. */
export class GraphBuilder {
  readonly #inputs: OnnxTypes.IValueInfoProto[] = [];
  readonly #outputs: OnnxTypes.IValueInfoProto[] = [];
  readonly #nodes: OnnxTypes.INodeProto[] = [];
  readonly #initializers: Initializer[] = [];
  readonly #names = new Set<string>();
  readonly #constants = new Map<string, string>();
  #counter = 0;

  constructor(readonly name: string) {}

  /** Declares a graph input and returns its name. */
  input(name: string, elementType: InputType, shape: readonly Dim[]): string {
    this.#claim(name);
    this.#inputs.push(valueInfo(name, elementType, shape));
    return name;
  }

  /** Exposes `value` as the graph output `name`. */
  output(value: string, name: string, elementType: ElementType, shape: readonly Dim[]): void {
    if (value !== name) this.node('Identity', [value], {}, [name]);
    this.#outputs.push(valueInfo(name, elementType, shape));
  }

  /** Adds a learned weight whose data is made only when the model is written. */
  weight(name: string, dims: readonly number[], data: () => Float32Array): string {
    return this.#initializer({ name, elementType: 'float32', dims, learned: true, data });
  }

  /** Adds a float constant (a mask, a colour basis) that is part of the graph's structure. */
  floats(dims: readonly number[], values: Float32Array, name?: string): string {
    return this.#constant('float32', dims, values, name);
  }

  /** A float scalar constant, shared by every node that uses the same value. */
  scalar(value: number): string {
    return this.#constant('float32', [], Float32Array.of(value));
  }

  /** An int64 constant (shapes, axes, indices; one-dimensional unless told), shared by nodes that use the same. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.#constant(
      'int64',
      dims,
      BigInt64Array.from(values, (value) => BigInt(value)),
    );
  }

  /** Adds a node and returns the names of its outputs. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    outputs: number | readonly string[] = 1,
  ): string[] {
    const id = this.#counter++;
    const outputNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, index) => `${opType}_${id}_out${index}`)
        : [...outputs];
    outputNames.forEach((output) => this.#claim(output));
    this.#nodes.push({
      name: `${opType}_${id}`,
      opType,
      input: [...inputs],
      output: outputNames,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return outputNames;
  }

  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    const [output] = this.node(opType, inputs, attributes);
    return output!;
  }

  /** The finished model (opset 17 of the default domain unless told otherwise). */
  build(info: ModelInfo): OnnxModel {
    return {
      proto: {
        irVersion: info.irVersion ?? 8,
        producerName: info.producerName,
        docString: info.docString ?? '',
        opsetImport: [{ domain: '', version: info.opset ?? 17 }],
        graph: { name: this.name, node: this.#nodes, input: this.#inputs, output: this.#outputs },
      },
      initializers: [...this.#initializers],
    };
  }

  #constant(elementType: ElementType, dims: readonly number[], values: TensorData, name?: string): string {
    const key = `${elementType}:${dims.join('x')}:${values.join(',')}`;
    const shared = name === undefined && values.length <= 16 ? this.#constants.get(key) : undefined;
    if (shared !== undefined) return shared;
    const constantName = name ?? `const_${this.#counter++}`;
    if (name === undefined && values.length <= 16) this.#constants.set(key, constantName);
    return this.#initializer({ name: constantName, elementType, dims, learned: false, data: () => values });
  }

  #initializer(initializer: Initializer): string {
    this.#claim(initializer.name);
    this.#initializers.push(initializer);
    return initializer.name;
  }

  #claim(name: string): void {
    if (this.#names.has(name)) throw new Error(`The graph ${this.name} already has a value named ${name}.`);
    this.#names.add(name);
  }
}

/** Number of learned parameters of a model (weights, biases, embeddings; not shapes or masks). */
export function parameterCount(model: OnnxModel): number {
  return model.initializers
    .filter((initializer) => initializer.learned)
    .reduce((sum, initializer) => sum + elementCount(initializer.dims), 0);
}
