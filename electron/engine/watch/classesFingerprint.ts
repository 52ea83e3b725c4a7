/**
 * The scan the watcher trusts more than events under `Classes/`: a fingerprint of the classes that changes
 * whenever a class, a reference image or a prompt file does. (`Images/` is scanned with `walkImageFolder`.)
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isMissingError } from '../errors.js';
import { PROMPT_FILE } from '../library/classFolders.js';
import { isImageName } from '../library/imageFiles.js';
import { isIgnoredName } from '../library/ignoredNames.js';

/**
 * A digest of the class folders under `dir`: every folder, and the size and mtime of every reference image and
 * prompt file. `null` when `dir` is missing.
 */
export async function classesFingerprint(dir: string): Promise<string | null> {
  const hash = createHash('sha256');
  const walk = async (folder: string, relative: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const full = path.join(folder, entry.name);
      const rel = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        hash.update(`d\0${rel}\n`);
        await walk(full, rel).catch((error: unknown) => {
          if (!isMissingError(error)) throw error;
        });
      } else if (isImageName(entry.name) || entry.name === PROMPT_FILE) {
        try {
          const stats = await lstat(full);
          hash.update(`f\0${rel}\0${stats.size}\0${stats.mtimeMs}\n`);
        } catch (error) {
          if (!isMissingError(error)) throw error;
        }
      }
    }
  };
  try {
    await walk(dir, '');
  } catch (error) {
    if (isMissingError(error)) return null;
    throw error;
  }
  return hash.digest('hex');
}
