import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The child process died (a native crash, or killed) while it had requests in flight. */
export class ChildCrashedError extends Error {
  constructor(readonly signal: string | null) {
    super(`the helper process stopped unexpectedly${signal ? ` (${signal})` : ''}`);
    this.name = 'ChildCrashedError';
  }
}

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Request/reply messaging with a child process that runs native code we do not trust not to crash (libvips on
 * untrusted files, onnxruntime). The child is started on the first request and again after it dies; requests in
 * flight when it dies are rejected with ChildCrashedError, and the owner decides what to retry. An idle child
 * does not keep the parent alive.
 *
 * The child answers `{ id, ...reply }` to each `{ id, ...request }`; messages without an id are ignored.
 */
export class ChildChannel<Request extends object, Reply> {
  private child?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly module: URL) {}

  request(request: Request): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('the helper process is closed'));
    const child = this.start();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (reply: unknown) => void, reject });
      this.setBusy(true);
      child.send({ id, ...request }, (error) => {
        if (error && this.pending.delete(id)) reject(error);
      });
    });
  }

  /** Stops the child; requests still in flight are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.setBusy(true);
    child.kill();
    await exited;
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(fileURLToPath(this.module), [], {
      serialization: 'advanced',
      // From the TypeScript sources (tests, benchmarks) the child runs through tsx.
      execArgv: this.module.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: { id?: number }) => {
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.setBusy(false);
      waiting?.resolve(message);
    });
    child.once('exit', (_code, signal) => {
      if (this.child === child) this.child = undefined;
      const lost = [...this.pending.values()];
      this.pending.clear();
      const error = this.closed ? new Error('the helper process is closed') : new ChildCrashedError(signal);
      for (const { reject } of lost) reject(error);
    });
    // Sending to a child that just died fails the send callback; the exit handler reports it.
    child.on('error', () => undefined);
    this.child = child;
    return child;
  }

  private setBusy(busy: boolean): void {
    const child = this.child;
    const channel = child?.channel as { ref(): void; unref(): void } | undefined;
    if (busy) {
      child?.ref();
      channel?.ref();
    } else {
      child?.unref();
      channel?.unref();
    }
  }
}
