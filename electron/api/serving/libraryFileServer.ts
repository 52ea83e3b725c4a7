/**
 * Images and thumbnails of the open library for the desktop app's `clipsort://` scheme, with exactly the path
 * checks of the HTTP routes (`libraryFiles.ts`): traversal in any encoding, absolute paths and links that lead out
 * are refused. Answers are plain data, so they can cross from the engine host to the main process.
 */
import { errorMessage } from '../../engine/errors.js';
import type { ApiService } from '../state/apiService.js';
import { imageContentType, openLibraryImage, PathRefused } from './libraryFiles.js';
import { ThumbnailCache, thumbnailSize } from './thumbnails.js';

/** A file for the app's scheme, or why there is none. */
export type FileReply =
  { ok: true; bytes: Uint8Array; type: string } | { ok: false; status: number; message: string };

export class LibraryFileServer {
  private thumbnails?: { root: string; cache: ThumbnailCache };

  constructor(private readonly api: ApiService) {}

  /** The image an encoded library path names, or its thumbnail when `thumbSize` is given (`?size=`). */
  async answer(encoded: string, thumbSize?: string | null): Promise<FileReply> {
    let library;
    try {
      library = this.api.library();
    } catch {
      return { ok: false, status: 404, message: 'No library is open.' };
    }
    const size = thumbSize === undefined ? undefined : thumbnailSize(thumbSize);
    if (thumbSize !== undefined && size === undefined)
      return { ok: false, status: 400, message: 'size must be a whole number from 1 to 4096.' };
    let file;
    try {
      file = await openLibraryImage(library.root, encoded);
    } catch (error) {
      if (error instanceof PathRefused) return { ok: false, status: error.status, message: error.message };
      throw error;
    }
    try {
      if (size === undefined)
        return { ok: true, bytes: await file.handle.readFile(), type: imageContentType(file.relative) };
      // Thumbnails are cached per library: a new cache when another library has been opened.
      if (this.thumbnails?.root !== library.root)
        this.thumbnails = { root: library.root, cache: new ThumbnailCache(library.root, library.index) };
      const made = await this.thumbnails.cache.get(file, size);
      return { ok: true, bytes: made.bytes, type: 'image/webp' };
    } catch (error) {
      return { ok: false, status: 415, message: `No thumbnail: ${errorMessage(error)}` };
    } finally {
      await file.handle.close();
    }
  }
}
