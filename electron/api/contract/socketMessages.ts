/** What travels over the WebSocket, both ways. */
import { z } from 'zod';
import type { ApiErrorBody } from './errors.js';
import type { ApiEvent } from './events.js';

/** A command sent over the WebSocket. */
export const socketRequest = z.strictObject({
  id: z.union([z.int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(100)]),
  command: z.string().min(1).max(100),
  input: z.unknown().optional(),
});
export type SocketRequest = z.output<typeof socketRequest>;

/** What travels from the server over the WebSocket: an answer to a request, or an event. */
export type SocketMessage =
  | { id: SocketRequest['id'] | null; result: unknown }
  | { id: SocketRequest['id'] | null; error: ApiErrorBody }
  | ApiEvent;
