/**
 * Turns the path of an `/image/…` or `/thumb/…` request into a file that is certainly inside the library. The
 * path is refused when it could name anything else: `..` (plain, `%2e%2e`, or encoded twice such as `%252f`),
 * absolute paths and drive letters, backslashes, NUL and other control characters, ClipSort's own state folder,
 * files that are not images, and symbolic links whose real path leads out of the library.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../../engine/errors.js';
import { isImageName } from '../../engine/library/imageFiles.js';
import { librarySegments, resolveInsideLibrary } from '../../engine/library/safePaths.js';

/** Why a path was refused, as an HTTP status and a message. */
export class PathRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** An open image file inside the library. The caller closes `handle`. */
export interface LibraryFile {
  /** Library-relative, forward slashes. */
  relative: string;
  handle: FileHandle;
  stats: Stats;
}

const LINK_OUT = 'The path is a link that leads outside the library.';

/** The folders images are served from. */
const SERVED_FOLDERS = new Set(['Images', 'Classes', 'Dataset']);

/** The library-relative path an encoded URL path names, checked lexically. Throws `PathRefused`. */
export function decodeLibraryPath(encoded: string): string {
  if (/\\|%5c/i.test(encoded)) throw new PathRefused(400, 'Backslashes are not allowed in paths.');
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw new PathRefused(400, 'The path is not valid percent-encoding.');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded))
    throw new PathRefused(400, 'Control characters are not allowed.');
  if (/%[0-9a-f]{2}/i.test(decoded)) throw new PathRefused(400, 'The path is percent-encoded twice.');
  const segments = librarySegments(decoded);
  if (!segments) throw new PathRefused(400, 'The path leads outside the library.');
  if (!SERVED_FOLDERS.has(segments[0]!))
    throw new PathRefused(404, 'Only Images/, Classes/ and Dataset/ are served.');
  if (!isImageName(segments[segments.length - 1]!))
    throw new PathRefused(404, 'Only image files are served.');
  return segments.join('/');
}

const isWithin = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/**
 * Opens the image an encoded URL path names. Besides the lexical checks, its real path must be inside the
 * library's real path (or inside the real path of `Images/`, `Classes/` or `Dataset/` where the library keeps
 * one of them on another disk through a link, as the engine allows), and it must be a regular file.
 */
export async function openLibraryImage(root: string, encoded: string): Promise<LibraryFile> {
  const relative = decodeLibraryPath(encoded);
  let absolute: string;
  try {
    absolute = await resolveInsideLibrary(root, relative);
  } catch (error) {
    // The engine's message names the link's target; a page needs no more than the refusal.
    if (error instanceof ClipSortError) throw new PathRefused(403, LINK_OUT);
    throw error;
  }
  const top = path.join(root, relative.split('/')[0]!);
  let real: string;
  let allowed: string[];
  try {
    [real, allowed] = await Promise.all([realpath(absolute), Promise.all([realpath(root), realpath(top)])]);
  } catch {
    throw new PathRefused(404, 'No such image.');
  }
  if (!allowed.some((folder) => isWithin(folder, real))) {
    throw new PathRefused(403, LINK_OUT);
  }
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    throw new PathRefused(404, 'No such image.');
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new PathRefused(404, 'No such image.');
  }
  return { relative, handle, stats };
}

/** The Content-Type of an image file, by extension. */
export function imageContentType(file: string): string {
  const ext = path.extname(file).toLowerCase().slice(1);
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    jfif: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    avif: 'image/avif',
    heic: 'image/heic',
    heif: 'image/heif',
  };
  return types[ext] ?? 'application/octet-stream';
}
