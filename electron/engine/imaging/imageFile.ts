import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { ClipSortError, errorMessage } from '../errors.js';

/** Image files larger than this are refused before reading (no photo format needs more). */
export const MAX_FILE_BYTES = 1024 ** 3;

/** An image file's bytes, read once, with the identity the index keeps for it. */
export interface ImageFile {
  bytes: Buffer;
  sha256: string;
  size: number;
  mtimeMs: number;
}

function readError(error: unknown, name: string): ClipSortError {
  const code = (error as NodeJS.ErrnoException).code;
  const because = (reason: string, text: string) =>
    new ClipSortError(reason, `${name}: ${text}`, { cause: error });
  switch (code) {
    case 'ENOENT':
      return because('file-missing', 'the file is gone.');
    case 'EACCES':
    case 'EPERM':
      return because('file-unreadable', 'permission denied; ClipSort cannot read this file.');
    case 'ELOOP':
      return because('file-symlink', 'this is a symbolic link; ClipSort only reads regular files.');
    case 'EISDIR':
      return because('not-a-file', 'this is a folder, not an image.');
    case 'EBUSY':
      return because('file-busy', 'the file is locked by another program; it will be tried again.');
    default:
      return because('file-unreadable', `the file cannot be read (${errorMessage(error)}).`);
  }
}

function checkRegular(stats: Stats, name: string): void {
  if (!stats.isFile()) {
    throw new ClipSortError('not-a-file', `${name}: this is not a regular file (a pipe, device or folder).`);
  }
  if (stats.size === 0) throw new ClipSortError('image-empty', `${name}: the file is empty.`);
  if (stats.size > MAX_FILE_BYTES) {
    throw new ClipSortError(
      'image-too-large',
      `${name}: the file is larger than ${MAX_FILE_BYTES / 1024 ** 3} GiB.`,
    );
  }
}

/**
 * Reads a whole image file and hashes it. Symbolic links are not followed and pipes are refused without blocking
 * (a FIFO named `photo.jpg` must not hang the reader).
 */
export async function readImageFile(filePath: string, name: string): Promise<ImageFile> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let handle;
  try {
    handle = await open(filePath, flags);
  } catch (error) {
    throw readError(error, name);
  }
  try {
    const stats = await handle.stat();
    checkRegular(stats, name);
    const bytes = Buffer.allocUnsafe(stats.size);
    let read = 0;
    while (read < stats.size) {
      const { bytesRead } = await handle.read(bytes, read, stats.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read !== stats.size) {
      throw new ClipSortError(
        'file-changing',
        `${name}: the file changed while it was read; it will be tried again.`,
      );
    }
    return {
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: stats.size,
      mtimeMs: stats.mtimeMs,
    };
  } catch (error) {
    throw error instanceof ClipSortError ? error : readError(error, name);
  } finally {
    await handle.close();
  }
}
