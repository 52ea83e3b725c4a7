import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage, isMissingError } from '../errors.js';
import { isIgnoredName } from './ignoredNames.js';
import { STATE_FOLDER } from './libraryPaths.js';
import { escapedName, isUtf8Name } from './nameBytes.js';
import { nameNotUtf8, otherLibrary, unreadableFolder, type SkippedEntry } from './skippedEntries.js';

/** Extensions of files ClipSort treats as images (a format it cannot decode is reported as such). */
export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  // Read as images so that they are named as not supported yet (see unsupportedFormats.ts), not left unseen.
  '.jxl',
  '.jp2',
  '.bmp',
  '.psd',
  '.svg',
]);

/** Extensions of videos: a phone's clips and a Live Photo's motion, which stay in the inbox, counted, unsorted. */
const VIDEO_EXTENSIONS = new Set(['.mov', '.mp4', '.m4v', '.3gp', '.avi', '.mkv', '.webm', '.mts']);

/** True for a name with a video extension that is neither hidden nor a download in progress. */
export function isVideoName(name: string): boolean {
  return !isIgnoredName(name) && VIDEO_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** True for a name with an image extension that is neither hidden nor a download in progress. */
export function isImageName(name: string): boolean {
  return !isIgnoredName(name) && IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** A library-relative path with forward slashes, the form the index and JSON output use. */
export function toLibraryPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** What a walk of an image folder found. */
export interface ImageScan {
  /** Library-relative paths of the image files, sorted. */
  files: string[];
  /** Entries left where they are without being looked into (see `SkippedEntry`), sorted by path. */
  skipped: SkippedEntry[];
  /** Library-relative paths of the videos, which are not sorted, sorted. */
  videos: string[];
}

const readEntries = (folder: string) => readdir(folder, { withFileTypes: true, encoding: 'buffer' });

const STATE_NAME = Buffer.from(STATE_FOLDER);

/**
 * Image files (and, apart, videos) under `dir`, recursively, as paths relative to `root`. Hidden folders (`.clipsort` among them) and
 * unfinished downloads are skipped, as the watcher skips them; symbolic links are listed (never followed) so
 * that the reader can report them. Left out, and listed as skipped: folders that cannot be read (a path longer
 * than the system allows among them), names that are not valid UTF-8 (Node cannot name such a file, so it could
 * be confused with its twin), and folders below `dir` that are libraries of their own. Folders that vanish
 * meanwhile are neither. Throws the file system's error when `dir` itself cannot be read.
 */
export async function walkImageFolder(root: string, dir: string, signal?: AbortSignal): Promise<ImageScan> {
  const scan: ImageScan = { files: [], skipped: [], videos: [] };
  const walk = async (folder: string, entries: Dirent<Buffer>[]): Promise<void> => {
    const relativeFolder = toLibraryPath(root, folder);
    for (const entry of entries) {
      if (signal?.aborted) return;
      const name = entry.name.toString('utf8');
      const isFolder = entry.isDirectory();
      const isVideo = !isFolder && isVideoName(name);
      if (isIgnoredName(name) || (!isFolder && !isVideo && !isImageName(name))) continue;
      if (!isUtf8Name(entry.name)) {
        scan.skipped.push(nameNotUtf8(path.posix.join(relativeFolder, escapedName(entry.name)), isFolder));
        continue;
      }
      const relative = path.posix.join(relativeFolder, name);
      if (!isFolder) {
        (isVideo ? scan.videos : scan.files).push(relative);
        continue;
      }
      const full = path.join(folder, name);
      let inner;
      try {
        inner = await readEntries(full);
      } catch (error) {
        if (!isMissingError(error)) scan.skipped.push(unreadableFolder(relative, error));
        continue;
      }
      if (inner.some((e) => e.name.equals(STATE_NAME))) scan.skipped.push(otherLibrary(relative));
      else await walk(full, inner);
    }
  };
  await walk(dir, await readEntries(dir));
  scan.files.sort();
  scan.videos.sort();
  scan.skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return scan;
}

/** `walkImageFolder`, with a failure to read `dir` itself as a ClipSortError that names it. */
export async function scanImageFiles(root: string, dir: string): Promise<ImageScan> {
  try {
    return await walkImageFolder(root, dir);
  } catch (error) {
    throw new ClipSortError(
      'folder-unreadable',
      `The folder ${dir} cannot be read (${errorMessage(error)}).`,
      {
        cause: error,
      },
    );
  }
}

/** The image files of `scanImageFiles`, for callers that only read them. */
export async function listImageFiles(root: string, dir = root): Promise<string[]> {
  return (await scanImageFiles(root, dir)).files;
}
