/**
 * A failed move or copy, as a message a person can act on. A refusal to write is traced to the folder that refuses: the
 * destination, or the source folder the photo cannot be taken out of, and whether its disk is mounted read-only
 * or the folder's permissions forbid it.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';

/** Why `folder` (library-relative; its nearest existing parent when it is missing) cannot be written, if it cannot. */
async function whyReadOnly(root: string, folder: string): Promise<string | undefined> {
  for (let relative = folder; ; relative = path.posix.dirname(relative)) {
    const refused = await fs.access(resolveLibraryPath(root, relative), constants.W_OK).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code,
    );
    if (refused === 'ENOENT' && relative.includes('/')) continue;
    if (refused === 'EROFS') return `${relative} is on a disk mounted read-only`;
    if (refused === 'EACCES' || refused === 'EPERM') {
      return `${relative} is read-only (its permissions do not allow changes)`;
    }
    return undefined;
  }
}

/**
 * The error to report for a move (or with `copy`, a copy) of `from` into `toFolder` that failed with `error`;
 * `where` ends the message.
 */
export async function explainMoveError(
  root: string,
  error: unknown,
  from: string,
  toFolder: string,
  where: string,
  copy = false,
): Promise<ClipSortError> {
  if (error instanceof ClipSortError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const verb = copy ? 'copy' : 'move';
  const because = (reason: string, text: string) =>
    new ClipSortError(
      reason,
      `${from} could not be ${copy ? 'copied' : 'moved'} to ${toFolder}: ${text} ${where}`.trim(),
      { cause: error },
    );
  switch (code) {
    case 'EROFS':
    case 'EACCES':
    case 'EPERM': {
      const destination = await whyReadOnly(root, toFolder);
      if (destination) return because('destination-readonly', `${destination}.`);
      const source = await whyReadOnly(root, path.posix.dirname(from));
      if (source) return because('source-readonly', `${source}, so the photo cannot be taken out of it.`);
      if (code === 'EROFS') return because('destination-readonly', 'the disk is read-only.');
      return because(`${verb}-denied`, 'permission denied (the file may be in use by another program).');
    }
    case 'EBUSY':
      return because('file-busy', 'the file is in use by another program; close it and try again.');
    case 'ENOSPC':
    case 'EDQUOT':
      return because('disk-full', 'the destination disk is full.');
    case 'ENAMETOOLONG':
      return because('name-too-long', 'the path is too long for the destination disk.');
    case 'ELOOP':
      return because('not-a-file', 'it is a symbolic link, not a file.');
    default:
      return because(`${verb}-failed`, `${errorMessage(error)}.`);
  }
}
