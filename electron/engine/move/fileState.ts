/**
 * What the mover knows of a file on disk: its identity (device and inode, exact as bigints), size and mtime, and
 * its content hash read without following links. Filesystem calls go through the `fs` object so that tests can
 * inject the failures of other platforms (locked files, read-only disks).
 */
import { createHash } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { ClipSortError } from '../errors.js';

/** Bytes read or written at a time when hashing and copying. */
export const CHUNK_BYTES = 1 << 20;

/** `lstat` with exact identities; `undefined` when the name does not exist. */
export async function statOrMissing(file: string): Promise<BigIntStats | undefined> {
  try {
    return await fs.lstat(file, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A file's identity as `dev:ino`: two names with the same identity are one file. */
export function fileKey(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** The mtime in milliseconds the journal keeps, computed the same way every time from the exact value. */
export function mtimeMsOf(stats: BigIntStats): number {
  return Number(stats.mtimeNs) / 1e6;
}

/** True when `after` is the same file as `before`, with the same size and mtime. */
export function isSameVersion(before: BigIntStats, after: BigIntStats | undefined): boolean {
  return (
    after !== undefined &&
    fileKey(after) === fileKey(before) &&
    after.size === before.size &&
    after.mtimeNs === before.mtimeNs
  );
}

/** Opens a regular file for reading without following a link or blocking on a pipe. */
export async function openForReading(file: string): Promise<FileHandle> {
  return fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
}

/** Reads a whole open file from the start, handing each chunk to `use`; resolves to the bytes read. */
export async function readChunks(
  handle: FileHandle,
  use: (chunk: Buffer) => Promise<void> | void,
): Promise<number> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return position;
    await use(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/**
 * The sha256 of `file`, which must still be the file `expected` describes, before and after reading (a file
 * being written is refused rather than moved half-written).
 */
export async function hashUnchanged(file: string, expected: BigIntStats, name: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await openForReading(file);
  try {
    const before = await handle.stat({ bigint: true });
    const read = await readChunks(handle, (chunk) => void hash.update(chunk));
    const after = await handle.stat({ bigint: true });
    if (!isSameVersion(expected, before) || !isSameVersion(before, after) || BigInt(read) !== after.size) {
      throw changing(name);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** sha256 and size of a file as it is now, or `undefined` when it is missing. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number } | undefined> {
  let handle;
  try {
    handle = await openForReading(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const hash = createHash('sha256');
    const size = await readChunks(handle, (chunk) => void hash.update(chunk));
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/** The error for a file that changed while it was being moved. */
export function changing(name: string): ClipSortError {
  return new ClipSortError(
    'file-changing',
    `${name} changed while it was being moved, so it was left where it is; it will be tried again.`,
  );
}
