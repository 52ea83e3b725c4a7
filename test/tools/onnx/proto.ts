/** The ONNX protobuf classes, from the CommonJS package `onnx-proto` (ONNX 1.10 schema, IR version 8). */
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type { onnx as OnnxTypes } from 'onnx-proto';
