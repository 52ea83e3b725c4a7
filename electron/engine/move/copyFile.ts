/**
 * Copying a file to another folder of the library without ever replacing one: the bytes go to a temporary
 * dot-name in the destination folder, are flushed and read back, and the copy then gets a free name with a hard
 * link (or an exclusive create where there are no hard links), which fails rather than replace a file. The source
 * must not change while it is copied; if it does, no copy is left behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';
import { resolveInsideLibrary } from '../library/safePaths.js';
import { fsyncDir } from '../models/durableFs.js';
import { claimName, targetRelative, type MoveTarget } from './claimName.js';
import { copyExclusive, NO_HARD_LINKS, TEMPORARY_PREFIX } from './crossDevice.js';
import { fileKey, hashFile, statOrMissing } from './fileState.js';
import { relativePath } from './fileMover.js';
import { FolderNames, ensureFolder } from './folderNames.js';
import { freeName } from './freeName.js';

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

/** A failure of the filesystem while copying, as a message a person can act on. */
function copyError(error: unknown, from: string, toFolder: string): ClipSortError {
  if (error instanceof ClipSortError) return error;
  const because = (code: string, text: string) =>
    new ClipSortError(code, `${from} could not be copied to ${toFolder}: ${text}`, { cause: error });
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return because('disk-full', 'the disk is full.');
    case 'EROFS':
      return because('destination-readonly', 'the disk is read-only.');
    case 'EACCES':
    case 'EPERM':
      return because('copy-denied', 'permission denied.');
    case 'ENAMETOOLONG':
      return because('name-too-long', 'the path is too long for the disk.');
    case 'ELOOP':
      return because('not-a-file', 'it is a symbolic link, not a file.');
    default:
      return because('copy-failed', `${errorMessage(error)}.`);
  }
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
      throw copyError(error, from, toFolder);
    }
  }

  private async copyChecked(from: string, toFolder: string): Promise<CopyResult> {
    const sourcePath = await resolveInsideLibrary(this.root, from);
    const folder = await resolveInsideLibrary(this.root, toFolder);
    const source = await statOrMissing(sourcePath);
    if (!source) throw new ClipSortError('file-missing', `${from} is not there any more.`);
    if (!source.isFile()) {
      throw new ClipSortError('not-a-file', `${from} is not a regular file (a link, folder or device).`);
    }
    await ensureFolder(folder);

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
      const wanted = path.basename(sourcePath);
      const target: MoveTarget = {
        folder,
        folderRelative: toFolder,
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
      await this.names.added(folder, target.name);
      return { from, to: targetRelative(target), sha256 };
    } finally {
      await fs.rm(temporary, { force: true });
    }
  }
}
