/** Messages between an inference worker and the session that drives it. */

export interface WireTensor {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface WireError {
  code?: string;
  message: string;
}

export type ToWorker =
  { type: 'run'; id: number; feeds: Record<string, WireTensor>; outputs: string[] } | { type: 'release' };

export type FromWorker =
  | { type: 'ready'; inputNames: string[]; outputNames: string[] }
  | { type: 'failed'; error: WireError }
  | { type: 'result'; id: number; outputs: Record<string, WireTensor> }
  | { type: 'error'; id: number; error: WireError };
