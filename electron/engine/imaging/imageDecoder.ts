import { ClipSortError } from '../errors.js';
import { ChildChannel, ChildCrashedError } from '../process/childChannel.js';
import type { DecodeReply, DecodeRequest } from './decodeProtocol.js';
import type { PreprocessSpec } from './preprocessConfig.js';
import type { RawImage } from './resample.js';

/**
 * The revision of what this reader can read. A file that failed is not tried again until it changes, unless the
 * revision that failed it is older: raise it whenever files that used to fail may now be read (2: images of
 * extreme aspect ratios; 3: HEIC/HEIF photos).
 */
export const READER_REVISION = 3;

/** A file read, hashed and decoded to the model's input pixels. */
export interface DecodedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
  pixels: RawImage;
}

type Request = DecodeRequest extends infer R ? (R extends DecodeRequest ? Omit<R, 'id'> : never) : never;
type Reply = Exclude<DecodeReply, { ready: true }>;

interface Job {
  request: Request;
  /** Settles the caller's promise with a successful reply. */
  resolve: (reply: Extract<Reply, { ok: true }>) => void;
  reject: (error: Error) => void;
  /** In flight when the process died: it runs again on its own, to tell the culprit from bystanders. */
  suspect: boolean;
}

const defaultWorker = new URL(
  import.meta.url.endsWith('.ts') ? './decodeWorker.ts' : './decodeWorker.js',
  import.meta.url,
);

/**
 * Reads and decodes images, and makes thumbnails, in a child process (decodeWorker.ts), restarted when a file
 * crashes it. The files that were in flight when it died are tried again one at a time; one that crashes it on
 * its own is reported as such (`image-crashed-decoder`) and not tried again, and the others are unaffected.
 */
export class ImageDecoder {
  private readonly channel: ChildChannel<Request, Reply>;
  private readonly queue: Job[] = [];
  private running = 0;
  private suspectRunning = false;

  constructor(workerModule: URL = defaultWorker) {
    this.channel = new ChildChannel(workerModule);
  }

  decode(path: string, name: string, spec: PreprocessSpec): Promise<DecodedFile> {
    return this.send({ kind: 'decode', path, name, spec }).then((reply) => {
      if (!('pixels' in reply)) throw new Error('the decoder answered a decode with something else');
      const { size, mtimeMs, sha256, pixels } = reply;
      return { size, mtimeMs, sha256, pixels };
    });
  }

  /** A WebP preview of an image's bytes, at most `size` pixels on its longer side (see `imageCodec.thumbnail`). */
  thumbnail(bytes: Uint8Array, size: number, name: string): Promise<Buffer> {
    return this.send({ kind: 'thumbnail', bytes, size, name }).then((reply) => {
      if (!('webp' in reply)) throw new Error('the decoder answered a thumbnail with something else');
      return Buffer.from(reply.webp.buffer, reply.webp.byteOffset, reply.webp.byteLength);
    });
  }

  private send(request: Request): Promise<Extract<Reply, { ok: true }>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, suspect: false });
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
            job.resolve(reply);
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

let shared: ImageDecoder | undefined;

/**
 * The decoding process of this process, whatever library it reads for: embedding runs and thumbnails share it, so
 * that only the first waits for it to start (a third of a second, mostly loading libvips). Started on first use,
 * restarted after a crash; idle, it does not keep the process alive, and it ends with it.
 */
export function sharedImageDecoder(): ImageDecoder {
  shared ??= new ImageDecoder();
  return shared;
}
