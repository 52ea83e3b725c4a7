/**
 * Writes that survive a crash or a power cut: data goes to a temporary name in the same folder, is flushed to
 * disk, and only then renamed into place, so a file at its final name is always whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name next to `file`, unique to this process and call, ending in `.tmp`. */
export function temporaryNameFor(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** Flushes a folder's entries (a rename into it) to disk; a no-op where the platform cannot (Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `file` through a temporary name, fsync and rename. */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryNameFor(file);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await fsyncDir(path.dirname(file));
}

/** Copies `source` to `dest` durably, hashing the bytes on the way; resolves to the copy's size and sha256. */
export async function copyFileDurably(
  source: string,
  dest: string,
): Promise<{ size: number; sha256: string }> {
  const temporary = temporaryNameFor(dest);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const handle = await open(temporary, 'wx');
    try {
      for await (const chunk of createReadStream(source, {
        highWaterMark: 1 << 20,
      }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await writeAll(handle, chunk);
        size += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const written = (await stat(temporary)).size;
    if (written !== size) throw new Error(`wrote ${written} of ${size} bytes of ${dest}`);
    await rename(temporary, dest);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await fsyncDir(path.dirname(dest));
  return { size, sha256: hash.digest('hex') };
}

/** Writes all of `chunk` at the handle's position; a single write may take only part of it. */
export async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
