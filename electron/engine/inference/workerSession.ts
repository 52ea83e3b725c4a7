import { Worker } from 'node:worker_threads';
import { ClipSortError } from '../errors.js';
import type { SessionOptions } from './onnxRuntime.js';
import type { FromWorker, ToWorker, WireError, WireTensor } from './workerProtocol.js';

/**
 * Starts the worker: the built .js file, or, when running from the TypeScript sources (tests, benchmarks), the
 * .ts file through tsx, which worker threads cannot take as an `--import` flag.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./inferenceWorker.js', import.meta.url), { workerData });
  }
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = JSON.stringify(new URL('./inferenceWorker.ts', import.meta.url).href);
  const code = `import(${tsx}).then(({ register }) => { register(); return import(${worker}); })`;
  return new Worker(code, { eval: true, workerData });
}

const toError = (error: WireError) =>
  error.code ? new ClipSortError(error.code, error.message) : new Error(`inference failed: ${error.message}`);

interface Pending {
  resolve: (outputs: Record<string, WireTensor>) => void;
  reject: (error: Error) => void;
}

/** An onnxruntime session living on a worker thread; `run` never blocks the caller's thread. */
export class WorkerSession {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure?: Error;

  private constructor(
    private readonly worker: Worker,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'result' && message.type !== 'error') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.type === 'result') waiting?.resolve(message.outputs);
      else waiting?.reject(toError(message.error));
    });
    const stop = (error: Error) => {
      this.failure = error;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', stop);
    worker.on('exit', () => stop(new Error('the inference worker has stopped')));
    // An idle session must not keep the process alive.
    worker.unref();
  }

  /** Opens the model `file` on a new worker thread. */
  static open(file: string, options: SessionOptions): Promise<WorkerSession> {
    const worker = startWorker({ file, options });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        worker.off('error', onError);
        worker.off('message', onMessage);
        if (message.type === 'ready')
          resolve(new WorkerSession(worker, message.inputNames, message.outputNames));
        else if (message.type === 'failed') {
          void worker.terminate();
          reject(toError(message.error));
        }
      };
      const onError = (error: Error) => reject(error);
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  /** Runs the model; `feeds` buffers are handed over to the worker and must not be used afterwards. */
  run(feeds: Record<string, WireTensor>, outputs: readonly string[]): Promise<Record<string, WireTensor>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.post({ type: 'run', id, feeds, outputs: [...outputs] }, transfer);
      } catch (error) {
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Frees the session and ends its thread. */
  async release(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.ref();
    this.post({ type: 'release' });
    await exited;
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
