import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLibraryImage } from '../../electron/api/serving/libraryFiles.js';
import { ThumbnailCache } from '../../electron/api/serving/thumbnails.js';
import { readImageInfo } from '../../electron/engine/imaging/imageCodec.js';
import { ImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const crashing = new URL('../helpers/crashingDecodeWorker.ts', import.meta.url);
const open: { index: LibraryIndex; decoder: ImageDecoder }[] = [];
afterEach(async () => {
  for (const { index, decoder } of open.splice(0)) {
    await decoder.close();
    index.close();
  }
});

/** A library with three images (one named to crash the crashing decoder) and a cache over `decoder`. */
async function library(decoder: ImageDecoder) {
  const root = await tempDir();
  await mkdir(path.join(root, 'Images'), { recursive: true });
  for (const [i, name] of ['a.png', 'crash.png', 'b.jpg'].entries()) {
    await writeColourImage(path.join(root, 'Images', name), [200, i * 80, 40], { width: 400, height: 300 });
  }
  await writeFile(path.join(root, 'Images/broken.png'), 'not an image at all');
  const index = LibraryIndex.open(root);
  open.push({ index, decoder });
  const cache = new ThumbnailCache(root, index, decoder);
  const thumb = async (name: string, size = 128) => {
    const file = await openLibraryImage(root, `Images/${name}`);
    try {
      return await cache.get(file, size);
    } finally {
      await file.handle.close();
    }
  };
  return { cache, thumb };
}

describe('thumbnails', () => {
  it('are WebP previews made in the decoding process, then served from the cache', async () => {
    const { cache, thumb } = await library(new ImageDecoder());
    const made = await thumb('a.png');
    expect(made.cached).toBe(false);
    const info = await readImageInfo(made.bytes, 'thumbnail');
    expect(info).toEqual({ format: 'webp', width: 128, height: 96 });
    const again = await thumb('a.png');
    expect(again).toMatchObject({ cached: true, etag: made.etag });
    expect(cache.encoded).toBe(1);
    await expect(thumb('broken.png')).rejects.toMatchObject({ code: 'image-unsupported' });
  });

  it('cost only their own request when a file crashes the decoder, which is started again', async () => {
    const { cache, thumb } = await library(new ImageDecoder(crashing));
    const results = await Promise.allSettled([thumb('a.png'), thumb('crash.png'), thumb('b.jpg')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (results[1] as PromiseRejectedResult).reason as { code: string; message: string };
    expect(failure.code).toBe('image-crashed-decoder');
    expect(failure.message).toMatch(/Images\/crash\.png: this file crashed the image decoder/);
    // This process lives on, and so does thumbnailing.
    const later = await thumb('b.jpg', 64);
    expect((await readImageInfo(later.bytes, 'thumbnail')).width).toBe(64);
    expect(cache.encoded).toBe(3);
  });
});
