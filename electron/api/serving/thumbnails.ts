/**
 * Small WebP previews for the renderer's grids, cached in `<library>/.clipsort/thumbnails/` by content sha256 and
 * size: a moved or renamed image keeps its thumbnail, a changed one gets a new one. The index's hash is reused
 * while a file's size and mtime are unchanged, so a cached thumbnail is served without reading the image.
 * Thumbnails are made in a decoding process (see `ImageDecoder`), never in this one: a file that crashes libvips
 * costs its own request an error, and the process is started again for the next.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedImageDecoder, type ImageDecoder } from '../../engine/imaging/imageDecoder.js';
import { stateDir } from '../../engine/library/libraryPaths.js';
import { isUnchanged } from '../../engine/store/fileIndex.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';
import type { LibraryFile } from './libraryFiles.js';

/** Thumbnail sizes made; a request is served the smallest that is at least as large as asked. */
export const THUMBNAIL_SIZES = [64, 128, 256, 512, 1024] as const;
export const DEFAULT_THUMBNAIL_SIZE = 256;
/** Encodes at once at most; the rest wait (each holds a decoded image in memory). */
const ENCODE_CONCURRENCY = 2;

/** The size served for a requested one, or `undefined` when it is not a whole number from 1 to 4096. */
export function thumbnailSize(requested: string | null): number | undefined {
  if (requested === null) return DEFAULT_THUMBNAIL_SIZE;
  if (!/^\d{1,4}$/.test(requested)) return undefined;
  const n = Number(requested);
  if (n < 1 || n > 4096) return undefined;
  return THUMBNAIL_SIZES.find((size) => size >= n) ?? THUMBNAIL_SIZES[THUMBNAIL_SIZES.length - 1];
}

export interface Thumbnail {
  bytes: Buffer;
  /** `sha256-size`: stable while the image is unchanged. */
  etag: string;
  /** Whether it came from the cache. */
  cached: boolean;
}

export class ThumbnailCache {
  /** Thumbnails encoded since start (a test can tell a cache hit from a miss). */
  encoded = 0;
  private readonly folder: string;
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    root: string,
    private readonly index: LibraryIndex,
    private readonly decoder: ImageDecoder = sharedImageDecoder(),
  ) {
    this.folder = path.join(stateDir(root), 'thumbnails');
  }

  /** The thumbnail of an open library image, from the cache or made now. */
  async get(file: LibraryFile, size: number): Promise<Thumbnail> {
    const { sha256, bytes } = await this.identify(file);
    const etag = `${sha256}-${size}`;
    const cacheFile = path.join(this.folder, sha256.slice(0, 2), `${etag}.webp`);
    const cached = await readFile(cacheFile).catch(() => undefined);
    if (cached) return { bytes: cached, etag, cached: true };
    let making = this.inFlight.get(cacheFile);
    if (!making) {
      making = this.make(bytes ?? (await file.handle.readFile()), size, file.relative, cacheFile);
      this.inFlight.set(cacheFile, making);
      void making.finally(() => this.inFlight.delete(cacheFile)).catch(() => undefined);
    }
    return { bytes: await making, etag, cached: false };
  }

  /** The content hash: the index's while the file is unchanged, else read and hashed now. */
  private async identify(file: LibraryFile): Promise<{ sha256: string; bytes?: Buffer }> {
    const record = this.index.files.get(file.relative);
    if (record?.sha256 && isUnchanged(record, file.stats.size, file.stats.mtimeMs)) {
      return { sha256: record.sha256 };
    }
    const bytes = await file.handle.readFile();
    return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
  }

  private async make(bytes: Buffer, size: number, name: string, cacheFile: string): Promise<Buffer> {
    await this.slot();
    let webp: Buffer;
    try {
      webp = await this.decoder.thumbnail(bytes, size, name);
      this.encoded++;
    } finally {
      this.release();
    }
    // Written under a temporary name and renamed, so a reader never sees half a thumbnail.
    await mkdir(path.dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, webp);
    await rename(temporary, cacheFile);
    return webp;
  }

  private slot(): Promise<void> {
    if (this.running < ENCODE_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
