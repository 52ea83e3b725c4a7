import type { PreprocessSpec } from './preprocessConfig.js';
import type { RawImage } from './resample.js';

/** Messages between the engine and its decoding process. */
export interface DecodeRequest {
  id: number;
  path: string;
  /** How the file is named in messages (library-relative). */
  name: string;
  spec: PreprocessSpec;
}

export type DecodeReply =
  | { ready: true }
  | { id: number; ok: true; size: number; mtimeMs: number; sha256: string; pixels: RawImage }
  | { id: number; ok: false; code: string; message: string };
