/**
 * The browser face's transport: commands and events over one WebSocket to `clipsort serve`. Uses the browser's
 * `WebSocket` (any constructor with the same shape can be passed, e.g. for tests); no Node imports. The socket is
 * opened on first use and reopened after a drop while anything is listening; commands in flight when it drops
 * are rejected (`disconnected`), never silently resent, because a command may move files.
 */
import { ApiError, type ApiErrorBody, type ApiEvent, type CommandName } from '../contract/index.js';
import type { Transport } from '../client.js';
import { decodeFrame } from './frames.js';

/** The part of the WebSocket API this transport uses. */
export interface SocketLike {
  readonly readyState: number;
  /** Set to 'arraybuffer', so that binary frames arrive as ArrayBuffers (the browser gives Blobs otherwise). */
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type SocketConstructor = new (url: string) => SocketLike;

export interface SocketTransportOptions {
  /** `ws://host:port/ws` (the token travels as a cookie in the browser, or as `?token=`). */
  url: string;
  /** The WebSocket class; the browser's own unless set. */
  WebSocket?: SocketConstructor;
  /** How long a command may take before it is given up on (the engine may still finish it). */
  timeoutMs?: number;
  /** First delay before reconnecting; doubles up to 10 s. */
  reconnectMs?: number;
}

export interface SocketTransport extends Transport {
  /** Closes the socket for good; pending commands are rejected. */
  close(): void;
}

const OPEN = 1;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const failure = (code: string, message: string) => new ApiError({ code, message });

/** The socket URL of the page's own server: `ws://<host>/ws`. */
export function pageSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** A transport over a WebSocket. */
export function createSocketTransport(options: SocketTransportOptions): SocketTransport {
  const Socket = options.WebSocket ?? (globalThis as unknown as { WebSocket?: SocketConstructor }).WebSocket;
  if (!Socket) throw new Error('No WebSocket implementation is available.');
  const timeoutMs = options.timeoutMs ?? 120_000;
  const firstDelay = options.reconnectMs ?? 500;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let socket: SocketLike | undefined;
  let opened: Promise<SocketLike> | undefined;
  let nextId = 1;
  let delay = firstDelay;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const settle = (id: unknown, outcome: { result: unknown } | { error: ApiErrorBody }) => {
    const waiting = typeof id === 'number' ? pending.get(id) : undefined;
    if (!waiting) return;
    pending.delete(id as number);
    clearTimeout(waiting.timer);
    if ('error' in outcome) waiting.reject(new ApiError(outcome.error));
    else waiting.resolve(outcome.result);
  };

  const receive = (raw: unknown) => {
    let message: Record<string, unknown>;
    try {
      const binary = raw instanceof ArrayBuffer || ArrayBuffer.isView(raw);
      message = (binary ? decodeFrame(raw) : JSON.parse(String(raw))) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (typeof message.event === 'string') {
      for (const listener of listeners) listener(message as ApiEvent);
    } else if ('error' in message) {
      settle(message.id, { error: message.error as ApiErrorBody });
    } else if ('result' in message) {
      settle(message.id, { result: message.result });
    }
  };

  const dropped = () => {
    socket = undefined;
    opened = undefined;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(failure('disconnected', 'The connection to ClipSort was lost; try again.'));
    }
    if (!closed && listeners.size > 0) {
      reconnectTimer = setTimeout(() => void connect().catch(() => undefined), delay);
      delay = Math.min(delay * 2, 10_000);
    }
  };

  const connect = (): Promise<SocketLike> => {
    if (closed) return Promise.reject(failure('closed', 'The connection to ClipSort is closed.'));
    opened ??= new Promise<SocketLike>((resolve, reject) => {
      const next = new Socket(options.url);
      next.binaryType = 'arraybuffer';
      let isOpen = false;
      next.addEventListener('open', () => {
        isOpen = true;
        socket = next;
        delay = firstDelay;
        resolve(next);
      });
      next.addEventListener('message', (event) => receive(event.data));
      next.addEventListener('error', () => {
        if (!isOpen) reject(failure('disconnected', `Cannot connect to ClipSort at ${options.url}.`));
      });
      next.addEventListener('close', () => {
        if (!isOpen) reject(failure('disconnected', `Cannot connect to ClipSort at ${options.url}.`));
        dropped();
      });
    });
    return opened;
  };

  return {
    async invoke(name: CommandName, input: unknown) {
      const open = socket?.readyState === OPEN ? socket : await connect();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(failure('timeout', `${name} did not answer within ${timeoutMs / 1000} s.`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        open.send(JSON.stringify({ id, command: name, input }));
      });
    },
    subscribe(handler) {
      listeners.add(handler);
      if (!socket) void connect().catch(() => undefined);
      return () => void listeners.delete(handler);
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      socket?.close(1000, 'closed by the client');
      dropped();
    },
  };
}
