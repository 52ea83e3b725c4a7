/**
 * Writes an ONNX model file without ever holding the whole file in memory: the small parts are encoded with
 * protobufjs, and each initializer's raw_data is written straight from its typed array. Protobuf allows fields in
 * any order, so the initializers are appended after the rest of the graph, and the lengths are worked out first.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { ELEMENT_TYPES, elementCount, type Initializer, type OnnxModel } from './graphBuilder.js';
import { onnx } from './proto.js';

/** Protobuf tags (field number << 3 | wire type 2) of the length-delimited fields written by hand. */
const MODEL_GRAPH_TAG = (7 << 3) | 2;
const GRAPH_INITIALIZER_TAG = (5 << 3) | 2;
const TENSOR_RAW_DATA_TAG = (9 << 3) | 2;

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

/** Tag and length prefix of a length-delimited field. */
function fieldPrefix(tag: number, length: number): Uint8Array {
  return Uint8Array.from([tag, ...varint(length)]);
}

interface EncodedInitializer {
  readonly initializer: Initializer;
  readonly header: Uint8Array;
  readonly dataBytes: number;
  readonly tensorBytes: number;
}

function encodeInitializer(initializer: Initializer): EncodedInitializer {
  const { proto, bytes } = ELEMENT_TYPES[initializer.elementType];
  const header = onnx.TensorProto.encode({
    name: initializer.name,
    dims: [...initializer.dims],
    dataType: proto,
  }).finish();
  const dataBytes = elementCount(initializer.dims) * bytes;
  const tensorBytes = header.length + fieldPrefix(TENSOR_RAW_DATA_TAG, dataBytes).length + dataBytes;
  return { initializer, header, dataBytes, tensorBytes };
}

function tensorBytes({ initializer, dataBytes }: EncodedInitializer): Uint8Array {
  const data = initializer.data();
  if (data.byteLength !== dataBytes) {
    throw new Error(
      `${initializer.name}: made ${data.byteLength} bytes for dims [${initializer.dims.join(', ')}].`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Writes the model to `path` (through a temporary name, so a file at `path` is always complete) and returns its
 * size in bytes. The same model gives the same bytes on every run.
 */
export function writeModel(path: string, model: OnnxModel): number {
  if (endianness() !== 'LE') throw new Error('ONNX raw_data is little-endian; this machine is not.');
  const { graph, ...rest } = model.proto;
  const head = onnx.ModelProto.encode(rest).finish();
  const graphHead = onnx.GraphProto.encode({ ...graph, initializer: [] }).finish();
  const encoded = model.initializers.map(encodeInitializer);
  const graphBytes = encoded.reduce(
    (sum, entry) => sum + fieldPrefix(GRAPH_INITIALIZER_TAG, entry.tensorBytes).length + entry.tensorBytes,
    graphHead.length,
  );

  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  const fd = openSync(temporary, 'w');
  let written = 0;
  const write = (bytes: Uint8Array): void => {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    written += bytes.length;
  };
  try {
    write(head);
    write(fieldPrefix(MODEL_GRAPH_TAG, graphBytes));
    write(graphHead);
    for (const entry of encoded) {
      write(fieldPrefix(GRAPH_INITIALIZER_TAG, entry.tensorBytes));
      write(entry.header);
      write(fieldPrefix(TENSOR_RAW_DATA_TAG, entry.dataBytes));
      write(tensorBytes(entry));
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return written;
}
