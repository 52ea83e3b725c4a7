/**
 * Entries of an image folder that a walk leaves where they are without looking into them, each with a sentence
 * that names it: a person must learn why a photo was not sorted, and that it was not touched.
 */
import { errorMessage } from '../errors.js';

/** Why an entry was left out. */
export type SkipCode = 'folder-unreadable' | 'path-too-long' | 'name-not-utf8' | 'nested-library';

export interface SkippedEntry {
  /** Library-relative, forward slashes; bytes of a name that is not UTF-8 shown as `\xNN`. */
  path: string;
  code: SkipCode;
  /** What happened and what to do, naming the entry. */
  reason: string;
}

/** A folder whose entries could not be listed. */
export function unreadableFolder(path: string, error: unknown): SkippedEntry {
  if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') {
    return {
      path,
      code: 'path-too-long',
      reason:
        `The folder ${path} cannot be opened: its path is longer than the system allows. It was left where ` +
        'it is, with its files; move it higher up to sort them.',
    };
  }
  return {
    path,
    code: 'folder-unreadable',
    reason: `The folder ${path} cannot be read (${errorMessage(error)}); its files are left as they are.`,
  };
}

/** A file or folder whose name is not valid UTF-8 (`path` shows its bytes escaped). */
export function nameNotUtf8(path: string, isFolder: boolean): SkippedEntry {
  const what = isFolder
    ? 'the folder was left where it is, with its files (rename it to sort them)'
    : 'the file was left where it is (rename it to sort it)';
  return {
    path,
    code: 'name-not-utf8',
    reason: `${path}: the name is not valid UTF-8, so ClipSort cannot handle it; ${what}.`,
  };
}

/** A folder holding a `.clipsort` entry: a library of its own, whose files are not this one's to sort. */
export function otherLibrary(path: string): SkippedEntry {
  return {
    path,
    code: 'nested-library',
    reason: `${path} is another ClipSort library; left alone (none of its files are sorted or moved).`,
  };
}
