import { lstat } from 'node:fs/promises';
import { ClipSortError, errorMessage } from '../errors.js';
import { sharedImageDecoder, READER_REVISION, type ImageDecoder } from '../imaging/imageDecoder.js';
import type { RawImage } from '../imaging/resample.js';
import type { ClipModel } from '../inference/clipModel.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';
import { isUnchanged, type FileRecord } from '../store/fileIndex.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

export interface QueueOptions {
  /** Most images per inference call. */
  batchSize?: number;
  /** Images read and decoded at once; decoding runs while the model works on the previous batch. */
  inFlight?: number;
  /**
   * Where images are decoded: by default the process's shared decoding process (`sharedImageDecoder`); one given
   * here is the queue's, and closed with it.
   */
  decoder?: ImageDecoder;
}

/** A file's identity as it was read: what the index, the mover and the review queue key on. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export type EmbedOutcome =
  | ({ file: string; status: 'embedded' | 'cached'; vector: Float32Array } & FileIdentity)
  | { file: string; status: 'failed'; code: string; error: string; sha256: string | null };

/** A file handed in, with the callbacks of its promise. */
interface Request {
  file: string;
  settle: (outcome: EmbedOutcome) => void;
  fail: (error: Error) => void;
}

interface Decoded extends FileIdentity, Request {
  pixels: RawImage;
}

type Model = Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>;

/**
 * What the index already knows of a file that has, on disk, the size and mtime of `stats`: the failure the current
 * reader recorded, or the embedding `vectorOf` finds for its content. Undefined when the file must be read: it
 * changed, is unknown, or failed under an older reader.
 */
export function storedOutcome(
  file: string,
  known: FileRecord | undefined,
  stats: { size: number; mtimeMs: number },
  vectorOf: (sha256: string) => Float32Array | undefined,
): EmbedOutcome | undefined {
  if (!known || !isUnchanged(known, stats.size, stats.mtimeMs)) return undefined;
  if (known.errorCode && known.errorRevision === READER_REVISION) {
    const error = known.error ?? known.errorCode;
    return { file, status: 'failed', code: known.errorCode, error, sha256: known.sha256 };
  }
  const vector = known.sha256 ? vectorOf(known.sha256) : undefined;
  if (!vector) return undefined;
  return { file, status: 'cached', vector, size: known.size, mtimeMs: known.mtimeMs, sha256: known.sha256! };
}

/**
 * Embeds library files as they are handed in, each once per content and model. Reading and decoding (libvips
 * threads) overlap inference (its own thread): while one batch is in the model, the next is being decoded, and
 * a batch starts as soon as the model is free with whatever has been decoded by then, so a lone file is
 * embedded at once and a burst fills batches. Failures are per file and recorded in the index, so an unchanged
 * bad file is not tried again; only a failing model rejects everything.
 */
export class EmbeddingQueue {
  private readonly batchSize: number;
  private readonly inFlight: number;
  private readonly decoder: ImageDecoder;
  private readonly ownsDecoder: boolean;
  /** Files handed in and not decoding yet, from `waitingFrom` on (`shift` would copy the rest each time). */
  private waiting: Request[] = [];
  private waitingFrom = 0;
  private readonly decoded: Decoded[] = [];
  private decoding = 0;
  private running = false;
  private failure?: Error;

  constructor(
    private readonly root: string,
    private readonly model: Model,
    private readonly index: LibraryIndex,
    options: QueueOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 16;
    this.inFlight = Math.max(1, options.inFlight ?? 4);
    this.decoder = options.decoder ?? sharedImageDecoder();
    this.ownsDecoder = options.decoder !== undefined;
  }

  /** Stops the decoding process the queue was given; the shared one stays for the next run. */
  async close(): Promise<void> {
    if (this.ownsDecoder) await this.decoder.close();
  }

  /** Embeds one library file (a library-relative path); resolves when it is embedded or has failed. */
  embed(file: string): Promise<EmbedOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((settle, fail) => {
      this.waiting.push({ file, settle, fail });
      this.startDecoding();
    });
  }

  /** Files handed in and not settled yet. */
  get size(): number {
    return (
      this.waiting.length - this.waitingFrom + this.decoding + this.decoded.length + (this.running ? 1 : 0)
    );
  }

  private startDecoding(): void {
    // Back-pressure: at most two batches of decoded pixels wait for the model.
    while (
      !this.failure &&
      this.waitingFrom < this.waiting.length &&
      this.decoding < this.inFlight &&
      this.decoded.length < 2 * this.batchSize
    ) {
      const request = this.nextWaiting();
      this.decoding++;
      this.prepare(request)
        .then(
          (item) => {
            if (item && this.failure) item.fail(this.failure);
            else if (item) this.decoded.push(item);
          },
          (error: unknown) => request.fail(error instanceof Error ? error : new Error(String(error))),
        )
        .finally(() => {
          this.decoding--;
          this.pump();
          this.startDecoding();
        });
    }
  }

  private nextWaiting(): Request {
    const request = this.waiting[this.waitingFrom++]!;
    if (this.waitingFrom >= 1024 && this.waitingFrom * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitingFrom);
      this.waitingFrom = 0;
    }
    return request;
  }

  private pump(): void {
    if (this.running || this.decoded.length === 0 || this.failure) return;
    const batch = this.decoded.splice(0, this.batchSize);
    this.running = true;
    this.embedBatch(batch).then(
      () => {
        this.running = false;
        this.pump();
        this.startDecoding();
      },
      (error: unknown) => this.stop(error instanceof Error ? error : new Error(String(error)), batch),
    );
  }

  /** The model failed: nothing more can be embedded. Everything handed in and not settled is rejected. */
  private stop(error: Error, batch: Decoded[]): void {
    this.failure = error;
    this.running = false;
    for (const request of [...batch, ...this.decoded.splice(0), ...this.waiting.splice(this.waitingFrom)])
      request.fail(error);
  }

  private failed(
    file: string,
    error: unknown,
    identity?: Omit<FileIdentity, 'sha256'> & { sha256?: string },
  ) {
    if (!(error instanceof ClipSortError)) throw error;
    if (identity) {
      this.index.files.put({
        path: file,
        size: identity.size,
        mtimeMs: identity.mtimeMs,
        sha256: identity.sha256 ?? null,
        errorCode: error.code,
        error: error.message,
        errorRevision: READER_REVISION,
      });
    }
    return {
      file,
      status: 'failed',
      code: error.code,
      error: error.message,
      sha256: identity?.sha256 ?? null,
    } as const;
  }

  /** Reads and decodes one file, or settles it from the index; returns pixels only when inference is needed. */
  private async prepare(request: Request): Promise<Decoded | undefined> {
    const { index, model } = this;
    const { file, settle } = request;
    const absolute = resolveLibraryPath(this.root, file);
    let stats;
    try {
      stats = await lstat(absolute);
    } catch (error) {
      settle(
        this.failed(
          file,
          new ClipSortError('file-missing', `${file}: the file is gone (${errorMessage(error)}).`),
        ),
      );
      return;
    }
    const known = storedOutcome(file, index.files.get(file), stats, (sha256) =>
      index.embeddings.get(sha256, model.key),
    );
    if (known) {
      settle(known);
      return;
    }
    let decoded;
    try {
      decoded = await this.decoder.decode(absolute, file, model.preprocess);
    } catch (error) {
      settle(this.failed(file, error, { size: stats.size, mtimeMs: stats.mtimeMs }));
      return;
    }
    const { pixels, ...identity } = decoded;
    const vector = index.embeddings.get(identity.sha256, model.key);
    if (vector) {
      index.files.put({ path: file, ...identity, errorCode: null, error: null });
      settle({ file, status: 'cached', vector, ...identity });
      return;
    }
    return { ...request, ...identity, pixels };
  }

  private async embedBatch(batch: Decoded[]): Promise<void> {
    const { index, model } = this;
    const vectors = await model.embedImages(batch.map((item) => item.pixels));
    index.transaction(() => {
      index.embeddings.putMany(
        model.key,
        batch.map((item, i) => ({ sha256: item.sha256, vector: vectors[i]! })),
      );
      for (const { file, sha256, size, mtimeMs } of batch) {
        index.files.put({ path: file, sha256, size, mtimeMs, errorCode: null, error: null });
      }
    });
    batch.forEach(({ file, sha256, size, mtimeMs, settle }, i) =>
      settle({ file, status: 'embedded', vector: vectors[i]!, sha256, size, mtimeMs }),
    );
  }
}
