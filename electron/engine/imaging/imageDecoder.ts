import { ClipSortError } from '../errors.js';
import { ChildChannel, ChildCrashedError } from '../process/childChannel.js';
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

type Reply = Exclude<DecodeReply, { ready: true }>;

const defaultWorker = new URL(
  import.meta.url.endsWith('.ts') ? './decodeWorker.ts' : './decodeWorker.js',
  import.meta.url,
);

/**
 * Reads and decodes images in a child process (decodeWorker.ts), restarted when a file crashes it. The files
 * that were being decoded when it died are tried again one at a time; one that crashes it on its own is reported
 * as such and not tried again, and the others are unaffected.
 */
export class ImageDecoder {
  private readonly channel: ChildChannel<Omit<DecodeRequest, 'id'>, Reply>;
  private readonly queue: Job[] = [];
  private running = 0;
  private suspectRunning = false;

  constructor(workerModule: URL = defaultWorker) {
    this.channel = new ChildChannel(workerModule);
  }

  decode(path: string, name: string, spec: PreprocessSpec): Promise<DecodedFile> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { path, name, spec }, resolve, reject, suspect: false });
      this.dispatch();
    });
  }

  /** Stops the decoding process; decodes in flight are rejected. */
  close(): Promise<void> {
    return this.channel.close();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.suspectRunning) {
      // A suspect runs alone: nothing else in flight with it.
      if (this.queue[0]!.suspect && this.running > 0) return;
      this.run(this.queue.shift()!);
    }
  }

  private run(job: Job): void {
    this.running++;
    if (job.suspect) this.suspectRunning = true;
    this.channel
      .request(job.request)
      .then(
        (reply) => {
          if (reply.ok) {
            const { size, mtimeMs, sha256, pixels } = reply;
            job.resolve({ size, mtimeMs, sha256, pixels });
          } else {
            job.reject(new ClipSortError(reply.code, reply.message));
          }
        },
        (error: Error) => {
          if (!(error instanceof ChildCrashedError)) return job.reject(error);
          if (!job.suspect) return void this.queue.unshift({ ...job, suspect: true });
          job.reject(
            new ClipSortError(
              'image-crashed-decoder',
              `${job.request.name}: this file crashed the image decoder, so it is left as it is and not tried again.`,
            ),
          );
        },
      )
      .finally(() => {
        this.running--;
        if (job.suspect) this.suspectRunning = false;
        this.dispatch();
      });
  }
}
