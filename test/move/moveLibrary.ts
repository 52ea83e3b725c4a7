/** A library on disk for the mover's tests, and the invariants they check: each file once, no temporary files. */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, realpath, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { databasePath, resolveLibraryPath } from '../../electron/engine/library/libraryPaths.js';
import { isTemporaryName } from '../../electron/engine/move/crossDevice.js';
import { fileKey, mtimeMsOf } from '../../electron/engine/move/fileState.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { openDatabase } from '../../electron/engine/store/database.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { afterEach } from 'vitest';
import { treeHashes, walk } from '../helpers/tree.js';

export { walk };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes `bytes` (random unless given) at a library-relative path; resolves to the bytes. */
export async function putFile(
  root: string,
  relative: string,
  bytes: Uint8Array = randomBytes(1000 + Math.floor(Math.random() * 3000)),
  mtime?: Date,
): Promise<Uint8Array> {
  const file = resolveLibraryPath(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  if (mtime) await utimes(file, mtime, mtime);
  return bytes;
}

/**
 * Whether the path a mover used names `file`: the mover reaches folders through handles it holds
 * (`/proc/self/fd/…` on Linux), so its paths are compared by the folder they lead to.
 */
export async function isSameName(used: unknown, file: string): Promise<boolean> {
  const name = String(used);
  if (path.basename(name) !== path.basename(file)) return false;
  const [folder, expected] = await Promise.all(
    [name, file].map((each) => realpath(path.dirname(each)).catch(() => path.dirname(each))),
  );
  return folder === expected;
}

/** The bytes at a library-relative path. */
export async function readAt(root: string, relative: string): Promise<Buffer> {
  return readFile(resolveLibraryPath(root, relative));
}

/** The sha256 of the file at a library-relative path (compare hashes: deep equality of large buffers is slow). */
export async function hashAt(root: string, relative: string): Promise<string> {
  return sha256(await readAt(root, relative));
}

/** The sorted sha256 of every file in Images/ and Dataset/ (temporary files included: they must not exist). */
export async function contentMultiset(root: string): Promise<string[]> {
  const trees = await Promise.all(['Images', 'Dataset'].map((folder) => treeHashes(path.join(root, folder))));
  return trees.flatMap((tree) => [...tree.values()]).sort();
}

/** Our temporary copies anywhere in the library's folders. */
export async function temporaryFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of ['Images', 'Classes', 'Dataset']) {
    for (const file of await walk(path.join(root, folder))) {
      if (isTemporaryName(path.posix.basename(file))) found.push(`${folder}/${file}`);
    }
  }
  return found;
}

/** `PRAGMA integrity_check` of the library's database ("ok" when sound). */
export function integrityCheck(root: string): string {
  const db = openDatabase(databasePath(root));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** A fresh library (with its index open) per call, closed after the test; its folders are made on first use. */
export function useLibraries(tempDir: (prefix?: string) => Promise<string>) {
  const open: LibraryIndex[] = [];
  afterEach(() => {
    for (const index of open.splice(0)) index.close();
  });
  return async (): Promise<{ root: string; index: LibraryIndex }> => {
    const root = await tempDir('clipsort-move-');
    const index = LibraryIndex.open(root);
    open.push(index);
    return { root, index };
  };
}

/** Journals a move of `source` to `destination` as the mover would before touching the disk (in `group`). */
export async function planMove(
  root: string,
  index: LibraryIndex,
  source: string,
  destination: string,
  group: string | null = null,
): Promise<number> {
  const file = resolveLibraryPath(root, source);
  const stats = await lstat(file, { bigint: true });
  await mkdir(path.dirname(resolveLibraryPath(root, destination)), { recursive: true });
  return index.moves.plan({
    batch: newBatchId(),
    kind: 'sort',
    source,
    destination,
    sha256: await hashAt(root, source),
    size: Number(stats.size),
    mtimeMs: mtimeMsOf(stats),
    sourceFile: fileKey(stats),
    group,
  });
}
