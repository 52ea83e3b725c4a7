/**
 * Folders held open while files are placed in them, so that a folder swapped for a link (or renamed) between a
 * check and a link cannot send a photo somewhere else. Each component of a library path is opened with
 * O_DIRECTORY | O_NOFOLLOW relative to the one above it; only the library's own folders (`Images`, `Classes`,
 * `Dataset`) may be links, so that one of them can live on another disk.
 *
 * Node has no `linkat`, but on Linux a path through `/proc/self/fd/<fd>/` resolves to the open folder itself,
 * whatever has happened to its name since: link, rename and create through it are relative to the handle. Where
 * there is no such path (macOS, Windows, Linux without /proc), the folder is checked component by component with
 * lstat instead, and `isStillAt` after placing a file is what catches a swap.
 */
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { libraryFolders } from '../library/libraryPaths.js';
import { librarySegments } from '../library/safePaths.js';
import { fsyncDir } from '../fs/durable.js';
import { fileKey } from './fileState.js';

const OPEN_FOLDER = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** A library folder, and a path that reaches it. */
export interface HeldFolder {
  /** Library-relative, e.g. `Dataset/red` (`.` for the library itself). */
  readonly relative: string;
  /** `/proc/self/fd/<fd>` while held on Linux, which follows the folder itself; its absolute path elsewhere. */
  readonly path: string;
  /** The folder's `dev:ino` when it was opened. */
  readonly key: string;
  close(): Promise<void>;
}

let pinnedPaths: Promise<boolean> | undefined;

/** Whether `/proc/self/fd/<fd>` of an open folder is that folder (probed once). */
function havePinnedPaths(): Promise<boolean> {
  pinnedPaths ??= (async () => {
    if (process.platform !== 'linux') return false;
    const handle = await fs.open('/', OPEN_FOLDER);
    try {
      const [held, through] = await Promise.all([
        handle.stat({ bigint: true }),
        fs.stat(`/proc/self/fd/${handle.fd}/.`, { bigint: true }),
      ]);
      return fileKey(held) === fileKey(through);
    } catch {
      return false;
    } finally {
      await handle.close();
    }
  })();
  return pinnedPaths;
}

function folderError(code: string, relative: string, shown: string, text: string): ClipSortError {
  return new ClipSortError(code, `${shown}: ${text}; nothing was moved into or out of ${relative}.`);
}

/** The segments of a folder's library-relative path; none for the library itself. */
function segmentsOf(relative: string): string[] {
  if (relative === '.' || relative === '') return [];
  const segments = librarySegments(relative);
  if (!segments) {
    throw new ClipSortError('path-outside-library', `${relative}: this path leads outside the library.`);
  }
  return segments;
}

/** The library's own folders, which may be links to another disk. */
function mayBeLink(root: string, depth: number, segment: string): boolean {
  if (depth !== 0) return false;
  return Object.values(libraryFolders(root)).some((folder) => path.basename(folder) === segment);
}

/** Opens `file` as a folder, refusing a link unless `follow`; ENOENT when missing. */
async function openFolder(file: string, follow: boolean, relative: string, shown: string) {
  try {
    return await fs.open(file, OPEN_FOLDER | (follow ? 0 : NO_FOLLOW));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ELOOP' && code !== 'ENOTDIR') throw error;
    // Linux says ENOTDIR for a link opened with O_DIRECTORY | O_NOFOLLOW; what is there now tells them apart.
    const now = await fs.lstat(file).catch(() => undefined);
    if (code === 'ELOOP' || now?.isSymbolicLink()) {
      throw folderError('folder-is-link', relative, shown, 'this folder is a symbolic link');
    }
    if (now?.isDirectory()) {
      throw folderError('folder-changed', relative, shown, 'this folder was replaced while it was opened');
    }
    throw folderError('not-a-folder', relative, shown, 'this is not a folder');
  }
}

/** Called with the library-relative path of each folder `holdFolder` creates. */
type OnCreated = (relative: string) => void;

/** Creates `file` as a folder unless something is there already, flushing it to disk; true when it did. */
async function makeFolder(file: string, parent: string): Promise<boolean> {
  try {
    await fs.mkdir(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
  await fsyncDir(parent);
  return true;
}

/** Holds the folder through a chain of handles, each opened relative to the one above it. */
async function holdPinned(
  root: string,
  relative: string,
  segments: string[],
  create: boolean,
  onCreated: OnCreated,
) {
  let handle: FileHandle = await fs.open(root, OPEN_FOLDER);
  try {
    for (const [depth, segment] of segments.entries()) {
      const parent = `/proc/self/fd/${handle.fd}`;
      const shown = segments.slice(0, depth + 1).join('/');
      const follow = mayBeLink(root, depth, segment);
      const child = `${parent}/${segment}`;
      let next: FileHandle;
      try {
        next = await openFolder(child, follow, relative, shown);
      } catch (error) {
        if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        if (await makeFolder(child, parent)) onCreated(shown);
        next = await openFolder(child, follow, relative, shown);
      }
      await handle.close();
      handle = next;
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const held = handle;
  const key = fileKey(await held.stat({ bigint: true }));
  return { relative, path: `/proc/self/fd/${held.fd}`, key, close: () => held.close() };
}

/** Checks the folder component by component by name, where no handle path exists. */
async function holdByName(
  root: string,
  relative: string,
  segments: string[],
  create: boolean,
  onCreated: OnCreated,
) {
  let current = root;
  for (const [depth, segment] of segments.entries()) {
    const parent = current;
    current = path.join(current, segment);
    const shown = segments.slice(0, depth + 1).join('/');
    let stats = await fs.lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (!create || error.code !== 'ENOENT') throw error;
      return undefined;
    });
    if (!stats) {
      if (await makeFolder(current, parent)) onCreated(shown);
      stats = await fs.lstat(current);
    }
    if (stats.isSymbolicLink()) {
      if (!mayBeLink(root, depth, segment)) {
        throw folderError('folder-is-link', relative, shown, 'this folder is a symbolic link');
      }
      stats = await fs.stat(current);
    }
    if (!stats.isDirectory()) throw folderError('not-a-folder', relative, shown, 'this is not a folder');
  }
  const key = fileKey(await fs.stat(current, { bigint: true }));
  return { relative, path: current, key, close: () => Promise.resolve() };
}

/**
 * Holds the library folder `relative` (created with its parents when `create`, each one it creates told to
 * `onCreated`). Throws ClipSortError `folder-is-link` or `not-a-folder` when a component is a link or a file,
 * and ENOENT when it is missing.
 */
export async function holdFolder(
  root: string,
  relative: string,
  options: { create?: boolean; onCreated?: OnCreated } = {},
): Promise<HeldFolder> {
  const segments = segmentsOf(relative);
  const shown = segments.length === 0 ? '.' : segments.join('/');
  const hold = (await havePinnedPaths()) ? holdPinned : holdByName;
  return hold(root, shown, segments, options.create ?? false, options.onCreated ?? (() => undefined));
}

/** True while the library path of `folder` still leads, without links, to the very folder held. */
export async function isStillAt(root: string, folder: HeldFolder): Promise<boolean> {
  let again: HeldFolder;
  try {
    again = await holdFolder(root, folder.relative);
  } catch {
    return false;
  }
  await again.close();
  return again.key === folder.key;
}
