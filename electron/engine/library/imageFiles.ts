import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';
import { isIgnoredName } from './ignoredNames.js';

/** Extensions of files ClipSort treats as images (decodable or not: HEIC is reported as unsupported). */
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
]);

/** True for a name with an image extension that is neither hidden nor a download in progress. */
export function isImageName(name: string): boolean {
  return !isIgnoredName(name) && IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** A library-relative path with forward slashes, the form the index and JSON output use. */
export function toLibraryPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Image files under `dir`, recursively, as paths relative to `root` (sorted). Hidden folders (`.clipsort` among
 * them) and unfinished downloads are skipped, as the watcher skips them; symbolic links are listed so that the
 * reader can report them.
 */
export async function listImageFiles(root: string, dir = root): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (isImageName(entry.name)) found.push(toLibraryPath(root, full));
    }
  };
  try {
    await walk(dir);
  } catch (error) {
    throw new ClipSortError(
      'folder-unreadable',
      `The folder ${dir} cannot be read (${errorMessage(error)}).`,
      {
        cause: error,
      },
    );
  }
  return found.sort();
}
