import type { PreprocessSpec } from './preprocessConfig.js';
import type { RawImage } from './resample.js';

/** Messages between the engine and its decoding process. */
export type DecodeRequest =
  /** Read, hash and decode a file to the model's input pixels. */
  | {
      id: number;
      kind: 'decode';
      path: string;
      /** How the file is named in messages (library-relative). */
      name: string;
      spec: PreprocessSpec;
    }
  /** Make a WebP preview of an image's bytes, at most `size` pixels on its longer side. */
  | { id: number; kind: 'thumbnail'; bytes: Uint8Array; size: number; name: string };

export type DecodeReply =
  | { ready: true }
  | { id: number; ok: true; size: number; mtimeMs: number; sha256: string; pixels: RawImage }
  | { id: number; ok: true; webp: Uint8Array }
  | { id: number; ok: false; code: string; message: string };
