import { lstat } from 'node:fs/promises';
import { ClipSortError, errorMessage } from '../errors.js';
import { decodeForModel } from '../imaging/imageCodec.js';
import { readImageFile } from '../imaging/imageFile.js';
import { stackPixels } from '../imaging/preprocess.js';
import type { RawImage } from '../imaging/resample.js';
import type { ClipModel } from '../inference/clipModel.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';
import { isUnchanged } from '../store/fileIndex.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

export interface EmbedOptions {
  /** Most images per inference call. */
  batchSize?: number;
  /** Images decoded at once; decoding runs while the model works on the previous batch. */
  inFlight?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedError {
  file: string;
  code: string;
  error: string;
}

export interface EmbedReport {
  files: number;
  /** Images embedded by this run. */
  embedded: number;
  /** Images whose embedding was already stored (same content, same model). */
  cached: number;
  errors: EmbedError[];
  seconds: number;
  /** Newly embedded images per second of this run. */
  imagesPerSecond: number;
  /** The embedding of every file that has one, by library path. */
  vectors: Map<string, Float32Array>;
}

interface Decoded {
  file: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  pixels: RawImage;
}

type Model = Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>;

/**
 * Embeds library files, skipping those whose content is already embedded for this model. Decoding (libvips
 * threads) overlaps inference (onnxruntime threads): while one batch runs, the next is being decoded, and a batch
 * starts as soon as the model is free, with whatever has been decoded by then (up to `batchSize`). Failures are
 * recorded per file and never stop the run, except a failing model.
 */
export async function embedFiles(
  root: string,
  files: readonly string[],
  model: Model,
  index: LibraryIndex,
  options: EmbedOptions = {},
): Promise<EmbedReport> {
  const batchSize = options.batchSize ?? 16;
  const inFlight = options.inFlight ?? 4;
  const started = performance.now();
  const vectors = new Map<string, Float32Array>();
  const errors: EmbedError[] = [];
  let done = 0;
  let embedded = 0;
  let cached = 0;

  const finish = (file: string, vector?: Float32Array): undefined => {
    if (vector) vectors.set(file, vector);
    options.onProgress?.(++done, files.length);
  };
  const fail = (
    file: string,
    error: unknown,
    identity?: { size: number; mtimeMs: number; sha256?: string },
  ): undefined => {
    if (!(error instanceof ClipSortError)) throw error;
    errors.push({ file, code: error.code, error: error.message });
    if (identity) {
      index.files.put({
        path: file,
        sha256: identity.sha256 ?? null,
        ...identity,
        errorCode: error.code,
        error: error.message,
      });
    }
    return finish(file);
  };

  /** Reads and decodes one file, or settles it from the index; returns pixels only when inference is needed. */
  const prepare = async (file: string): Promise<Decoded | undefined> => {
    const absolute = resolveLibraryPath(root, file);
    let stats;
    try {
      stats = await lstat(absolute);
    } catch (error) {
      fail(file, new ClipSortError('file-missing', `${file}: the file is gone (${errorMessage(error)}).`));
      return;
    }
    const known = index.files.get(file);
    if (isUnchanged(known, stats.size, stats.mtimeMs)) {
      if (known!.errorCode) {
        errors.push({ file, code: known!.errorCode, error: known!.error ?? known!.errorCode });
        return finish(file);
      }
      const vector = known!.sha256 ? index.embeddings.get(known!.sha256, model.key) : undefined;
      if (vector) {
        cached++;
        return finish(file, vector);
      }
    }
    let image;
    try {
      image = await readImageFile(absolute, file);
    } catch (error) {
      return fail(file, error, { size: stats.size, mtimeMs: stats.mtimeMs });
    }
    const identity = { size: image.size, mtimeMs: image.mtimeMs, sha256: image.sha256 };
    const vector = index.embeddings.get(image.sha256, model.key);
    if (vector) {
      index.files.put({ path: file, ...identity, errorCode: null, error: null });
      cached++;
      return finish(file, vector);
    }
    try {
      return { file, ...identity, pixels: await decodeForModel(image.bytes, model.preprocess, file) };
    } catch (error) {
      return fail(file, error, identity);
    }
  };

  const embedBatch = async (batch: Decoded[]) => {
    const embeddings = await model.embedImages(
      stackPixels(
        batch.map((item) => item.pixels),
        model.preprocess,
      ),
    );
    index.transaction(() => {
      index.embeddings.putMany(
        model.key,
        batch.map((item, i) => ({ sha256: item.sha256, vector: embeddings[i]! })),
      );
      for (const { file, sha256, size, mtimeMs } of batch) {
        index.files.put({ path: file, sha256, size, mtimeMs, errorCode: null, error: null });
      }
    });
    batch.forEach((item, i) => finish(item.file, embeddings[i]));
    embedded += batch.length;
  };

  // The pump: at most one batch in the model at a time, started whenever the model is free.
  const pending: Decoded[] = [];
  let running: Promise<void> | undefined;
  let failure: Error | undefined;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const ready = waiters;
    waiters = [];
    ready.forEach((resolve) => resolve());
  };
  const waitForModel = () => new Promise<void>((resolve) => waiters.push(resolve));
  const pump = () => {
    if (running || pending.length === 0 || failure !== undefined) return;
    const batch = pending.splice(0, batchSize);
    running = embedBatch(batch).then(
      () => {
        running = undefined;
        pump();
        wake();
      },
      (error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
        running = undefined;
        wake();
      },
    );
  };

  let next = 0;
  const worker = async () => {
    for (;;) {
      // Back-pressure: keep at most two batches of decoded pixels waiting.
      while (pending.length >= 2 * batchSize && failure === undefined) await waitForModel();
      if (next >= files.length || failure !== undefined) return;
      const item = await prepare(files[next++]!);
      if (item) {
        pending.push(item);
        pump();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, worker));
  while ((running || pending.length > 0) && failure === undefined) {
    pump();
    await waitForModel();
  }
  if (failure !== undefined) throw failure;

  const seconds = (performance.now() - started) / 1000;
  return {
    files: files.length,
    embedded,
    cached,
    errors,
    seconds,
    imagesPerSecond: seconds > 0 ? embedded / seconds : 0,
    vectors,
  };
}
