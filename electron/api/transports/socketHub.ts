/**
 * Commands and events over WebSockets: `{id, command, input}` in, `{id, result}` or `{id, error}` out (a binary
 * frame when the result carries bytes, see frames.ts), and every event pushed to every open socket. Dead sockets are found by ping and closed; a client that cannot keep up with
 * the events is disconnected rather than buffered without bound.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiService } from '../state/apiService.js';
import { encodeMessage } from './frames.js';
import { describeIssues, socketRequest, type SocketMessage } from '../contract/index.js';

/** The largest message a client may send. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Unsent data after which a slow client is disconnected. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const PING_EVERY_MS = 30_000;

export class SocketHub {
  readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly pinger: ReturnType<typeof setInterval>;

  constructor(private readonly api: ApiService) {
    this.server.on('connection', (socket) => this.accept(socket));
    this.pinger = setInterval(() => this.ping(), PING_EVERY_MS);
    this.pinger.unref();
  }

  private accept(socket: WebSocket) {
    this.alive.set(socket, true);
    socket.on('pong', () => this.alive.set(socket, true));
    const stop = this.api.subscribe((event) => this.send(socket, event));
    socket.on('close', stop);
    socket.on('error', () => socket.terminate());
    socket.on('message', (data: Buffer, isBinary) => {
      void this.answer(socket, isBinary ? null : data.toString('utf8'));
    });
  }

  private async answer(socket: WebSocket, text: string | null) {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      return this.send(socket, {
        id: null,
        error: { code: 'invalid-json', message: 'The message is not JSON.' },
      });
    }
    const request = socketRequest.safeParse(raw);
    if (!request.success) {
      const issues = describeIssues(request.error);
      const message = `A message must be {id, command, input}: ${issues.map((i) => `${i.path || 'message'}: ${i.message}`).join('; ')}`;
      const id = (raw as { id?: unknown } | null)?.id;
      const echo = typeof id === 'number' || typeof id === 'string' ? id : null;
      return this.send(socket, { id: echo, error: { code: 'invalid-message', message, issues } });
    }
    const { id, command, input } = request.data;
    // Only a missing input means "no input"; `null` is a payload like any other, and refused.
    const outcome = await this.api.invoke(command, input === undefined ? {} : input);
    this.send(socket, outcome.ok ? { id, result: outcome.result } : { id, error: outcome.error });
  }

  private send(socket: WebSocket, message: SocketMessage) {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'too far behind on events');
      return;
    }
    socket.send(encodeMessage(message));
  }

  private ping() {
    for (const socket of this.server.clients) {
      if (!this.alive.get(socket)) {
        socket.terminate();
        continue;
      }
      this.alive.set(socket, false);
      socket.ping();
    }
  }

  /** Closes every socket. */
  close(): Promise<void> {
    clearInterval(this.pinger);
    for (const socket of this.server.clients) socket.close(1001, 'ClipSort is stopping');
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
