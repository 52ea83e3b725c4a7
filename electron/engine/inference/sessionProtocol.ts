import type { PreprocessSpec } from '../imaging/preprocessConfig.js';
import type { SessionOptions } from './onnxRuntime.js';

/** Messages between the engine and its inference process. */

export interface WireTensor {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

/**
 * Images as 8-bit RGB crops, `[count, height, width, 3]`, with the spec that turns them into the model's float
 * CHW input. A quarter of the bytes of the float tensor cross between the processes, and the conversion happens
 * off the engine's thread.
 */
export interface WirePixels {
  type: 'rgb8';
  data: Uint8Array;
  dims: [number, number, number, 3];
  spec: PreprocessSpec;
}

export interface WireError {
  code?: string;
  message: string;
}

export type SessionRequest =
  | { type: 'open'; file: string; options: SessionOptions }
  | { type: 'run'; feeds: Record<string, WireTensor | WirePixels>; outputs: string[] };

export type SessionReply =
  | { ok: true; inputNames: string[]; outputNames: string[] }
  | { ok: true; outputs: Record<string, WireTensor> }
  | { ok: false; error: WireError };
