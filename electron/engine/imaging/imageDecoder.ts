import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClipSortError } from '../errors.js';
import type { DecodeReply, DecodeRequest } from './decodeProtocol.js';
import type { PreprocessSpec } from './preprocessConfig.js';
import type { RawImage } from './resample.js';

/** A file read, hashed and decoded to the model's input pixels. */
export interface DecodedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
  pixels: RawImage;
}

interface Job {
  request: Omit<DecodeRequest, 'id'>;
  resolve: (file: DecodedFile) => void;
  reject: (error: Error) => void;
  /** In flight when the process died: it runs again on its own, to tell the culprit from bystanders. */
  suspect: boolean;
}

const fromSources = import.meta.url.endsWith('.ts');
const defaultWorker = new URL(fromSources ? './decodeWorker.ts' : './decodeWorker.js', import.meta.url);

/**
 * Reads and decodes images in a child process (see decodeWorker.ts), restarting it when a file crashes it. The
 * files that were being decoded when it died are tried again one at a time; one that crashes it on its own is
 * reported as such and never tried again, and the others are unaffected.
 */
export class ImageDecoder {
  private child?: ChildProcess;
  private readonly queue: Job[] = [];
  private readonly inFlight = new Map<number, Job>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly workerModule: URL = defaultWorker) {}

  decode(path: string, name: string, spec: PreprocessSpec): Promise<DecodedFile> {
    if (this.closed) return Promise.reject(new Error('the image decoder is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { path, name, spec }, resolve, reject, suspect: false });
      this.dispatch();
    });
  }

  /** Stops the decoding process; decodes still in flight are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.idle(false);
    child.kill();
    await exited;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const suspectRunning = [...this.inFlight.values()].some((job) => job.suspect);
      const next = this.queue[0]!;
      // A suspect runs alone: nothing else in flight with it.
      if (suspectRunning || (next.suspect && this.inFlight.size > 0)) return;
      this.queue.shift();
      const id = this.nextId++;
      this.inFlight.set(id, next);
      this.process().send({ id, ...next.request } satisfies DecodeRequest);
    }
    if (this.inFlight.size === 0) this.idle(true);
  }

  private process(): ChildProcess {
    if (this.child) {
      this.idle(false);
      return this.child;
    }
    const child = fork(fileURLToPath(this.workerModule), [], {
      serialization: 'advanced',
      execArgv: this.workerModule.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (reply: DecodeReply) => this.settle(reply));
    child.once('exit', () => this.crashed(child));
    this.child = child;
    return child;
  }

  /** An idle decoder must not keep the process alive. */
  private idle(idle: boolean): void {
    const channel = this.child?.channel as { ref(): void; unref(): void } | undefined;
    if (idle) {
      this.child?.unref();
      channel?.unref();
    } else {
      this.child?.ref();
      channel?.ref();
    }
  }

  private settle(reply: DecodeReply): void {
    if ('ready' in reply) return;
    const job = this.inFlight.get(reply.id);
    this.inFlight.delete(reply.id);
    if (job && reply.ok)
      job.resolve({ size: reply.size, mtimeMs: reply.mtimeMs, sha256: reply.sha256, pixels: reply.pixels });
    else if (job && !reply.ok) job.reject(new ClipSortError(reply.code, reply.message));
    this.dispatch();
  }

  private crashed(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = undefined;
    const lost = [...this.inFlight.values()];
    this.inFlight.clear();
    if (this.closed) {
      for (const job of [...lost, ...this.queue.splice(0)])
        job.reject(new Error('the image decoder is closed'));
      return;
    }
    for (const job of lost.reverse()) {
      if (job.suspect) {
        job.reject(
          new ClipSortError(
            'image-crashed-decoder',
            `${job.request.name}: this file crashed the image decoder, so it is left as it is and not tried again.`,
          ),
        );
      } else {
        this.queue.unshift({ ...job, suspect: true });
      }
    }
    this.dispatch();
  }
}
