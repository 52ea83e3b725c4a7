/** The messages between the main process and the engine host (`electron/engineHost.ts`). Plain data only. */
import type { ApiErrorBody, ApiEvent } from '../api/contract/index.js';
import type { FileReply } from '../api/serving/libraryFileServer.js';

export type { FileReply };

/** Main → engine host. */
export type HostRequest =
  | { id: number; kind: 'invoke'; name: string; input: unknown }
  | { id: number; kind: 'image'; path: string }
  | { id: number; kind: 'thumb'; path: string; size: string | null }
  | { id: number; kind: 'root' };

/** Engine host → main. */
export type HostMessage =
  | { kind: 'reply'; id: number; outcome: { ok: true; result: unknown } | { ok: false; error: ApiErrorBody } }
  | { kind: 'file'; id: number; file: FileReply }
  | { kind: 'root'; id: number; root: string | null }
  | { kind: 'event'; event: ApiEvent }
  | { kind: 'internal-error'; message: string };
