import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage, isMissingError } from '../errors.js';
import { groupFiles, isGroupedName } from './fileGroups.js';
import { isIgnoredName } from './ignoredNames.js';
import { STATE_FOLDER } from './libraryPaths.js';
import { mediaKind } from './mediaKinds.js';
import { escapedName, isUtf8Name } from './nameBytes.js';
import { nameNotUtf8, otherLibrary, unreadableFolder, type SkippedEntry } from './skippedEntries.js';

/** True for a name of a video (see mediaKinds.ts) that is neither hidden nor a download in progress. */
export function isVideoName(name: string): boolean {
  return !isIgnoredName(name) && mediaKind(name) === 'video';
}

/**
 * True for a name of an image ClipSort reads or names as unreadable, a still or a camera's RAW, that is neither
 * hidden nor a download in progress.
 */
export function isImageName(name: string): boolean {
  const kind = mediaKind(name);
  return !isIgnoredName(name) && (kind === 'still' || kind === 'raw');
}

/** A library-relative path with forward slashes, the form the index and JSON output use. */
export function toLibraryPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** What a walk of an image folder found. */
export interface ImageScan {
  /**
   * Library-relative paths of the image files, sorted: of each group (see fileGroups.ts) its primary only, as
   * the other members move with it.
   */
  files: string[];
  /** Entries left where they are without being looked into (see `SkippedEntry`), sorted by path. */
  skipped: SkippedEntry[];
  /** Library-relative paths of the videos with no photo beside them, which are not sorted, sorted. */
  videos: string[];
}

const readEntries = (folder: string) => readdir(folder, { withFileTypes: true, encoding: 'buffer' });

const STATE_NAME = Buffer.from(STATE_FOLDER);

/**
 * Image files (the primary of each group) and, apart, lone videos under `dir`, recursively, as paths relative to
 * `root`. Hidden folders (`.clipsort` among them) and unfinished downloads are skipped, as the watcher skips
 * them; symbolic links are listed (never followed) so that the reader can report them. Left out, and listed as
 * skipped: folders that cannot be read (a path longer than the system allows among them), names that are not
 * valid UTF-8 (Node cannot name such a file, so it could be confused with its twin), and folders below `dir` that
 * are libraries of their own. Folders that vanish meanwhile are neither. Throws the file system's error when `dir` itself cannot be read.
 */
export async function walkImageFolder(root: string, dir: string, signal?: AbortSignal): Promise<ImageScan> {
  const scan: ImageScan = { files: [], skipped: [], videos: [] };
  const walk = async (folder: string, entries: Dirent<Buffer>[]): Promise<void> => {
    const relativeFolder = toLibraryPath(root, folder);
    const names: string[] = [];
    for (const entry of entries) {
      if (signal?.aborted) return;
      const name = entry.name.toString('utf8');
      const isFolder = entry.isDirectory();
      if (isIgnoredName(name) || (!isFolder && !isGroupedName(name))) continue;
      if (!isUtf8Name(entry.name)) {
        scan.skipped.push(nameNotUtf8(path.posix.join(relativeFolder, escapedName(entry.name)), isFolder));
        continue;
      }
      const relative = path.posix.join(relativeFolder, name);
      if (!isFolder) {
        names.push(name);
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
    const grouped = new Set<string>();
    for (const group of groupFiles(names)) {
      scan.files.push(path.posix.join(relativeFolder, group.primary));
      for (const name of group.companions) grouped.add(name);
    }
    for (const name of names) {
      if (isVideoName(name) && !grouped.has(name)) scan.videos.push(path.posix.join(relativeFolder, name));
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
