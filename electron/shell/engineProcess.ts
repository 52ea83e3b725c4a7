/**
 * Runs `engineHost.js` in an Electron utility process, matches replies to requests, forwards events, and starts
 * the host again when it dies (requests in flight fail with `engine-restarted`).
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import type { ApiEvent } from '../api/contract/index.js';
import type { FileReply, HostMessage, HostRequest } from './engineMessages.js';

type Outcome = Extract<HostMessage, { kind: 'reply' }>['outcome'];
type Request = HostRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface EngineProcessOptions {
  /** The compiled `engineHost.js`. */
  entry: string;
  onEvent: (event: ApiEvent) => void;
  onError: (message: string) => void;
}

/** The most restarts within a minute before the host is left stopped. */
const MAX_RESTARTS_PER_MINUTE = 5;

export class EngineProcess {
  private child?: UtilityProcess;
  private nextId = 1;
  private readonly pending = new Map<number, (message: HostMessage | undefined) => void>();
  private restarts: number[] = [];
  private stopping = false;

  constructor(private readonly options: EngineProcessOptions) {}

  start(): void {
    const child = utilityProcess.fork(this.options.entry, [], {
      serviceName: 'ClipSort engine',
      stdio: 'inherit',
    });
    child.on('message', (message: HostMessage) => this.receive(message));
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      for (const settle of this.pending.values()) settle(undefined);
      this.pending.clear();
      if (this.stopping) return;
      const now = Date.now();
      this.restarts = [...this.restarts.filter((at) => now - at < 60_000), now];
      if (this.restarts.length > MAX_RESTARTS_PER_MINUTE) {
        this.options.onError(`The engine stopped (exit code ${code}) and keeps failing; restart ClipSort.`);
        return;
      }
      this.options.onError(`The engine stopped (exit code ${code}); it was started again.`);
      this.start();
    });
    this.child = child;
  }

  /** Runs a command in the engine. */
  async invoke(name: string, input: unknown): Promise<Outcome> {
    const reply = await this.request({ kind: 'invoke', name, input });
    if (reply?.kind === 'reply') return reply.outcome;
    return { ok: false, error: { code: 'engine-restarted', message: 'The engine restarted; try again.' } };
  }

  /** An image (`thumbSize` unset) or thumbnail of the open library. */
  async file(path: string, thumbSize?: string | null): Promise<FileReply> {
    const reply = await this.request(
      thumbSize === undefined ? { kind: 'image', path } : { kind: 'thumb', path, size: thumbSize },
    );
    if (reply?.kind === 'file') return reply.file;
    return { ok: false, status: 503, message: 'The engine restarted.' };
  }

  /** The open library's folder, if any. */
  async root(): Promise<string | undefined> {
    const reply = await this.request({ kind: 'root' });
    return reply?.kind === 'root' && reply.root !== null ? reply.root : undefined;
  }

  /** Asks the host to close the library (finishing moves in flight) and waits for it to exit. */
  stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  }

  private request(request: Request): Promise<HostMessage | undefined> {
    const child = this.child;
    if (!child) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.postMessage({ ...request, id });
    });
  }

  private receive(message: HostMessage): void {
    if (message.kind === 'event') return this.options.onEvent(message.event);
    if (message.kind === 'internal-error') return this.options.onError(message.message);
    const settle = this.pending.get(message.id);
    this.pending.delete(message.id);
    settle?.(message);
  }
}
