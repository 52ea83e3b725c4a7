import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingQueue } from '../../electron/engine/embedding/embeddingQueue.js';
import { READER_REVISION } from '../../electron/engine/imaging/imageDecoder.js';
import type { RawImage } from '../../electron/engine/imaging/resample.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { writeColourImage } from '../helpers/images.js';
import { unscaledInput as preprocess } from '../helpers/pixels.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** A stand-in model that records its batch sizes and embeds an image as its mean colour. */
function recordingModel(fail = false) {
  const batches: number[] = [];
  return {
    batches,
    key: 'recording',
    preprocess,
    embedImages: async (images: readonly RawImage[]) => {
      batches.push(images.length);
      // Long enough that, on a loaded machine too, decoded images pile up behind a running batch.
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (fail) throw new Error('the model fell over');
      return images.map((image) => Float32Array.from(image.data.subarray(0, 3)));
    },
  };
}

describe('EmbeddingQueue', () => {
  const tempDir = useTempDirs();

  async function library(count: number) {
    const root = await tempDir();
    const files = [];
    for (let i = 0; i < count; i++) {
      const file = `Images/${i}.png`;
      await writeColourImage(path.join(root, file), [i * 10, 100, 200], { seed: i, clutter: 0 });
      files.push(file);
    }
    return { root, files, index: LibraryIndex.open(root) };
  }

  it('embeds a lone file at once and fills batches during a burst', async () => {
    const { root, files, index } = await library(21);
    const model = recordingModel();
    const queue = new EmbeddingQueue(root, model, index, { batchSize: 8, inFlight: 4 });
    const first = await queue.embed(files[0]!);
    expect(first.status).toBe('embedded');
    expect(model.batches).toEqual([1]);
    const rest = await Promise.all(files.slice(1).map((file) => queue.embed(file)));
    expect(rest.every((o) => o.status === 'embedded')).toBe(true);
    expect(model.batches.reduce((a, b) => a + b)).toBe(21);
    expect(Math.max(...model.batches)).toBeLessThanOrEqual(8);
    expect(model.batches.length).toBeLessThan(21);
    expect(queue.size).toBe(0);
    await queue.close();
    index.close();
  });

  it('settles each file once from the index when nothing changed, bad files included', async () => {
    const { root, files, index } = await library(2);
    await writeFile(path.join(root, 'Images/bad.jpg'), 'not an image');
    const model = recordingModel();
    const queue = new EmbeddingQueue(root, model, index);
    const first = await Promise.all([...files, 'Images/bad.jpg'].map((file) => queue.embed(file)));
    expect(first.map((o) => o.status)).toEqual(['embedded', 'embedded', 'failed']);
    const calls = model.batches.length;
    const again = await Promise.all([...files, 'Images/bad.jpg'].map((file) => queue.embed(file)));
    expect(again.map((o) => o.status)).toEqual(['cached', 'cached', 'failed']);
    expect(model.batches.length).toBe(calls);
    const bad = again[2]!;
    expect(bad.status === 'failed' && bad.code).toBe('image-unsupported');
    await queue.close();
    index.close();
  });

  it('tries again a file that an older revision of the reader failed', async () => {
    const { root, files, index } = await library(1);
    const { size, mtimeMs } = await stat(path.join(root, files[0]!));
    const failure = {
      path: files[0]!,
      size,
      mtimeMs,
      sha256: null,
      errorCode: 'image-corrupt',
      error: 'damaged',
    };
    const queue = new EmbeddingQueue(root, recordingModel(), index);

    index.files.put({ ...failure, errorRevision: READER_REVISION });
    expect((await queue.embed(files[0]!)).status).toBe('failed');
    index.files.put({ ...failure, errorRevision: READER_REVISION - 1 });
    expect((await queue.embed(files[0]!)).status).toBe('embedded');
    expect(index.files.get(files[0]!)!.errorCode).toBeNull();
    await queue.close();
    index.close();
  });

  it('rejects everything handed in, and everything after, when the model fails', async () => {
    const { root, files, index } = await library(6);
    const queue = new EmbeddingQueue(root, recordingModel(true), index, { batchSize: 2 });
    const results = await Promise.allSettled(files.map((file) => queue.embed(file)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await expect(queue.embed(files[0]!)).rejects.toThrow(/fell over/);
    await queue.close();
    index.close();
  });
});
