import type { SessionOptions } from './onnxRuntime.js';

/** Messages between the engine and its inference process. */

export interface WireTensor {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface WireError {
  code?: string;
  message: string;
}

export type SessionRequest =
  | { type: 'open'; file: string; options: SessionOptions }
  | { type: 'run'; feeds: Record<string, WireTensor>; outputs: string[] };

export type SessionReply =
  | { ok: true; inputNames: string[]; outputNames: string[] }
  | { ok: true; outputs: Record<string, WireTensor> }
  | { ok: false; error: WireError };
