import type { PreprocessSpec } from '../imaging/preprocessConfig.js';
import type { SessionOptions } from './onnxRuntime.js';

/** Messages between the engine and its inference process. */

export interface WireTensor {
  type: 'float32' | 'int64' | 'int32';
  data: Float32Array | BigInt64Array | Int32Array;
  dims: number[];
}

/**
 * Images as 8-bit RGB crops, `[count, height, width, 3]`, with the spec that turns them into the model's float
 * CHW input, or passed as they are to a model whose graph normalises its own 8-bit input (`asUint8`). A quarter
 * of the bytes of the float tensor cross between the processes, and the conversion happens off the engine's
 * thread.
 */
export interface WirePixels {
  type: 'rgb8';
  data: Uint8Array;
  dims: [number, number, number, 3];
  spec: PreprocessSpec;
  asUint8?: boolean;
}

export interface WireError {
  code?: string;
  message: string;
}

export type SessionRequest =
  | { type: 'open'; file: string; options: SessionOptions }
  | { type: 'run'; feeds: Record<string, WireTensor | WirePixels>; outputs: string[] };

/** What a session takes and gives: names, and each input's element type (`other` for non-tensor inputs). */
export interface SessionSignature {
  inputNames: string[];
  outputNames: string[];
  inputTypes: Record<string, string>;
}

export type SessionReply =
  | ({ ok: true } & SessionSignature)
  | { ok: true; outputs: Record<string, WireTensor> }
  | { ok: false; error: WireError };
