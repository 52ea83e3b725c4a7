import { rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { embedFiles } from '../../electron/engine/embedding/embedFiles.js';
import { EmbeddingQueue } from '../../electron/engine/embedding/embeddingQueue.js';
import { ImageDecoder, sharedImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import type { RawImage } from '../../electron/engine/imaging/resample.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { writeColourImage } from '../helpers/images.js';
import { unscaledInput as preprocess } from '../helpers/pixels.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** A stand-in model that embeds an image as its mean colour and counts the images it was given. */
function countingModel() {
  const model = {
    images: 0,
    key: 'counting',
    preprocess,
    embedImages: (images: readonly RawImage[]) => {
      model.images += images.length;
      return Promise.resolve(images.map((image) => Float32Array.from(image.data.subarray(0, 3))));
    },
  };
  return model;
}

describe('embedFiles over a library embedded before', () => {
  const tempDir = useTempDirs();
  const COUNT = 24;

  /** A library of `COUNT` distinct images, all embedded once. */
  async function embeddedLibrary() {
    const root = await tempDir();
    const files: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const file = `Images/${String(i).padStart(2, '0')}.png`;
      await writeColourImage(path.join(root, file), [i * 10, 100, 200], { seed: i, clutter: 0 });
      files.push(file);
    }
    const index = LibraryIndex.open(root);
    const model = countingModel();
    const first = await embedFiles(root, files, model, index);
    expect(first.embedded).toBe(COUNT);
    model.images = 0;
    return { root, files, index, model };
  }

  it("decodes every run in the process's one decoding process, which outlives the runs", async () => {
    const decode = vi.spyOn(ImageDecoder.prototype, 'decode');
    try {
      const { root, files, index, model } = await embeddedLibrary();
      const changed = files[5]!;
      await writeColourImage(path.join(root, changed), [250, 0, 0], { seed: 99, clutter: 0 });
      expect((await embedFiles(root, files, model, index)).embedded).toBe(1);
      index.close();
      expect(decode).toHaveBeenCalledTimes(COUNT + 1);
      expect(new Set(decode.mock.contexts)).toEqual(new Set([sharedImageDecoder()]));
    } finally {
      decode.mockRestore();
    }
  });

  it('settles every unchanged file from the index, reading none of them', async () => {
    const { root, files, index, model } = await embeddedLibrary();
    const progress: number[] = [];
    const again = await embedFiles(root, files, model, index, { onProgress: (done) => progress.push(done) });
    expect([again.embedded, again.cached, again.errors]).toEqual([0, COUNT, []]);
    expect(model.images).toBe(0);
    expect(progress.at(-1)).toBe(COUNT);
    expect(again.vectors.get(files[3]!)).toEqual(
      index.embeddings.get(index.files.get(files[3]!)!.sha256!, 'counting'),
    );
    index.close();
  });

  it('re-embeds a file among many whose content changed, and only it', async () => {
    const { root, files, index, model } = await embeddedLibrary();
    const changed = files[7]!;
    const before = index.files.get(changed)!;
    await writeColourImage(path.join(root, changed), [250, 20, 20], { seed: 99, clutter: 0 });
    const later = new Date(before.mtimeMs + 5_000);
    await utimes(path.join(root, changed), later, later);
    const again = await embedFiles(root, files, model, index);
    expect([again.embedded, again.cached]).toEqual([1, COUNT - 1]);
    expect(model.images).toBe(1);
    expect(index.files.get(changed)!.sha256).not.toBe(before.sha256);
    expect(again.vectors.get(changed)![0]).toBeGreaterThan(0.9);
    index.close();
  });

  it('reads again a file whose mtime alone changed, and keeps its embedding when the content is the same', async () => {
    const { root, files, index, model } = await embeddedLibrary();
    const touched = files[2]!;
    const before = index.files.get(touched)!;
    const later = new Date(before.mtimeMs + 60_000);
    await utimes(path.join(root, touched), later, later);
    const again = await embedFiles(root, files, model, index);
    expect([again.embedded, again.cached]).toEqual([0, COUNT]);
    expect(model.images).toBe(0);
    // Re-read: the record now has the file's new mtime, with the same content.
    const after = index.files.get(touched)!;
    expect(after.mtimeMs).toBe((await stat(path.join(root, touched))).mtimeMs);
    expect(after.mtimeMs).not.toBe(before.mtimeMs);
    expect(after.sha256).toBe(before.sha256);
    index.close();
  });

  it('finds the embedding of a renamed file by its content, and reports a deleted file as gone', async () => {
    const { root, files, index, model } = await embeddedLibrary();
    const renamed = 'Images/renamed.png';
    await rename(path.join(root, files[4]!), path.join(root, renamed));
    await rm(path.join(root, files[5]!));
    const listed = [...files.filter((_, i) => i !== 4), renamed];
    const again = await embedFiles(root, listed, model, index);
    expect(model.images).toBe(0);
    expect(again.cached).toBe(COUNT - 1);
    expect(again.errors).toEqual([expect.objectContaining({ file: files[5], code: 'file-missing' })]);
    expect(index.files.get(renamed)!.sha256).toBe(index.files.get(files[4]!)!.sha256);
    expect(again.vectors.has(files[5]!)).toBe(false);
    index.close();
  });
});

describe('EmbeddingQueue with many files waiting', () => {
  const tempDir = useTempDirs();

  it('settles each of thousands of files handed in at once as itself', async () => {
    const root = await tempDir();
    const index = LibraryIndex.open(root);
    const queue = new EmbeddingQueue(root, countingModel(), index);
    // Files that are not there settle without decoding: only the order of the waiting line is tested.
    const files = Array.from({ length: 3000 }, (_, i) => `Images/missing-${i}.png`);
    const outcomes = await Promise.all(files.map((file) => queue.embed(file)));
    expect(outcomes.map((o) => o.file)).toEqual(files);
    expect(outcomes.every((o) => o.status === 'failed' && o.code === 'file-missing')).toBe(true);
    await queue.close();
    index.close();
  });
});
