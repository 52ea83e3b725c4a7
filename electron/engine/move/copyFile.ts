/**
 * Copying a file to another folder of the library without ever replacing one: the bytes go to a temporary
 * dot-name in the destination folder, are flushed and read back, and the copy then gets a free name with a hard
 * link (or an exclusive create where there are no hard links), which fails rather than replace a file. The source
 * must not change while it is copied; if it does, no copy is left behind.
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { fsyncDir } from '../fs/durable.js';
import { claimName, targetRelative, type MoveTarget } from './claimName.js';
import { copyExclusive, NO_HARD_LINKS, TEMPORARY_PREFIX } from './crossDevice.js';
import { fileKey, hashFile, statOrMissing } from './fileState.js';
import { relativePath } from './moveRequest.js';
import { FolderNames } from './folderNames.js';
import { freeName } from './freeName.js';
import { holdFolder, isStillAt, type HeldFolder } from './heldFolder.js';
import { explainMoveError } from './moveErrors.js';

/** One file to copy. Paths are library-relative with forward slashes. */
export interface CopyRequest {
  /** The file, e.g. `Images/beach.jpg`. */
  from: string;
  /** The folder the copy goes into, e.g. `Classes/beach` (created when missing). */
  toFolder: string;
}

/** Where the copy is, and the content both files share. */
export interface CopyResult {
  from: string;
  to: string;
  sha256: string;
}

/** Removes `file` when it is the same file as `ours` (a link to it), not someone else's; true when removed. */
async function removeIfSame(file: string, ours: string): Promise<boolean> {
  const [there, copy] = await Promise.all([statOrMissing(file), statOrMissing(ours)]);
  if (!there || !copy || fileKey(there) !== fileKey(copy)) return false;
  await fs.rm(file, { force: true });
  return true;
}

/**
 * Copies files within one library, keeping the names it has seen in destination folders between copies. Throws a
 * ClipSortError (with no copy left behind) when a file is missing, not a regular file, or changes while copied.
 */
export class FileCopier {
  private readonly names = new FolderNames();

  constructor(private readonly root: string) {}

  async copy(request: CopyRequest): Promise<CopyResult> {
    const from = relativePath(request.from);
    const toFolder = relativePath(request.toFolder);
    try {
      return await this.copyChecked(from, toFolder);
    } catch (error) {
      throw await explainMoveError(this.root, error, from, toFolder, '', true);
    }
  }

  private async copyChecked(from: string, toFolder: string): Promise<CopyResult> {
    const sourceFolder = await holdFolder(this.root, path.posix.dirname(from)).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new ClipSortError('file-missing', `${from} is not there any more.`);
    });
    try {
      const sourcePath = path.join(sourceFolder.path, path.posix.basename(from));
      const source = await statOrMissing(sourcePath);
      if (!source) throw new ClipSortError('file-missing', `${from} is not there any more.`);
      if (!source.isFile()) {
        throw new ClipSortError('not-a-file', `${from} is not a regular file (a link, folder or device).`);
      }
      const folder = await holdFolder(this.root, toFolder, { create: true });
      try {
        return await this.copyInto(folder, sourceFolder, sourcePath, source, from);
      } finally {
        await folder.close();
      }
    } finally {
      await sourceFolder.close();
    }
  }

  private async copyInto(
    held: HeldFolder,
    sourceFolder: HeldFolder,
    sourcePath: string,
    source: BigIntStats,
    from: string,
  ): Promise<CopyResult> {
    const folder = held.path;
    const temporary = path.join(folder, `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}.tmp`);
    try {
      const sha256 = await copyExclusive(sourcePath, source, temporary, () => undefined, from);
      const written = await hashFile(temporary);
      if (written?.sha256 !== sha256 || written.size !== Number(source.size)) {
        throw new ClipSortError(
          'copy-mismatch',
          `The copy of ${from} did not read back as written (the disk may be failing); no copy was kept.`,
        );
      }
      const wanted = path.posix.basename(from);
      const target: MoveTarget = {
        folder,
        folderRelative: held.relative,
        wanted,
        name: freeName(wanted, await this.names.taken(folder)),
      };
      await claimName(target, this.names, async (file) => {
        try {
          await fs.link(temporary, file);
        } catch (error) {
          if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
          // No hard links on this filesystem: a second copy, created exclusively at the final name, and removed
          // again (only if it is still ours) when it cannot be finished.
          const stats = await fs.lstat(temporary, { bigint: true });
          let ours: string | undefined;
          try {
            await copyExclusive(temporary, stats, file, (key) => (ours = key), from);
          } catch (failure) {
            const there = await statOrMissing(file);
            if (ours !== undefined && there && fileKey(there) === ours) await fs.rm(file, { force: true });
            throw failure;
          }
        }
      });
      await fsyncDir(folder);
      if (!(await isStillAt(this.root, held)) || !(await isStillAt(this.root, sourceFolder))) {
        // The copy went into the folder held, which has left its place (swapped for a link, or renamed).
        const removed = await removeIfSame(path.join(folder, target.name), temporary);
        throw new ClipSortError(
          'folder-changed',
          `${held.relative} or ${sourceFolder.relative} was replaced or moved while ${from} was being copied; ` +
            (removed
              ? 'no copy was kept.'
              : `a copy named ${target.name} was left in the folder that moved.`),
        );
      }
      await this.names.added(folder, target.name);
      return { from, to: targetRelative(target), sha256 };
    } finally {
      await fs.rm(temporary, { force: true });
    }
  }
}
