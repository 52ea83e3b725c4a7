/**
 * The scans the watcher trusts more than events: the image files under a folder, and a fingerprint of the
 * classes that changes whenever a class, a reference image or a prompt file does.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { PROMPT_FILE } from '../library/classFolders.js';
import { isImageName, toLibraryPath } from '../library/imageFiles.js';
import { isIgnoredName } from '../library/ignoredNames.js';

export interface FolderScan {
  /** Library-relative paths of the image files found. */
  files: string[];
  /** Library-relative folders below the scanned one that could not be read (their files are unknown, not gone). */
  unreadable: { folder: string; reason: string }[];
}

/** A folder (or file) that is not there, as opposed to one that cannot be read. */
export function isMissingError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Image files under `dir`, recursively, skipping ignored names. Throws only when `dir` itself cannot be read;
 * folders that vanish meanwhile are skipped, unreadable ones listed. Symbolic links are listed, never followed.
 */
export async function scanImageFolder(root: string, dir: string, signal?: AbortSignal): Promise<FolderScan> {
  const scan: FolderScan = { files: [], unreadable: [] };
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (signal?.aborted) return;
      if (isIgnoredName(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(full).catch((error: unknown) => {
          if (!isMissingError(error)) {
            scan.unreadable.push({ folder: toLibraryPath(root, full), reason: errorMessage(error) });
          }
        });
      } else if (isImageName(entry.name)) {
        scan.files.push(toLibraryPath(root, full));
      }
    }
  };
  await walk(dir);
  return scan;
}

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
