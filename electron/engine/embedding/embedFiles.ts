import type { ClipModel } from '../inference/clipModel.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { EmbeddingQueue, type EmbedOutcome, type QueueOptions } from './embeddingQueue.js';
import { storedOutcomes } from './storedOutcomes.js';

export interface EmbedOptions extends QueueOptions {
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

/**
 * Embeds a list of library files and sums up what happened: those the index settles (see `storedOutcomes`) at
 * once, the others through an {@link EmbeddingQueue}.
 */
export async function embedFiles(
  root: string,
  files: readonly string[],
  model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>,
  index: LibraryIndex,
  options: EmbedOptions = {},
): Promise<EmbedReport> {
  const started = performance.now();
  const vectors = new Map<string, Float32Array>();
  const errors: EmbedError[] = [];
  let done = 0;
  let embedded = 0;
  let cached = 0;
  const count = (outcome: EmbedOutcome) => {
    if (outcome.status === 'failed') {
      errors.push({ file: outcome.file, code: outcome.code, error: outcome.error });
    } else {
      vectors.set(outcome.file, outcome.vector);
      if (outcome.status === 'embedded') embedded++;
      else cached++;
    }
    done++;
  };
  const { settled, unsettled } = await storedOutcomes(root, files, model.key, index);
  settled.forEach(count);
  if (settled.length > 0) options.onProgress?.(done, files.length);
  const queue = new EmbeddingQueue(root, model, index, options);
  try {
    await Promise.all(
      unsettled.map(async (file) => {
        count(await queue.embed(file));
        options.onProgress?.(done, files.length);
      }),
    );
  } finally {
    await queue.close();
  }
  errors.sort((a, b) => a.file.localeCompare(b.file));
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
