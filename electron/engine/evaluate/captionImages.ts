import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';
import { librarySegments, resolveInsideLibrary } from '../library/safePaths.js';
import type { CaptionRow } from './captionsFile.js';

/** A row whose image was found: `file` is relative to the root, with forward slashes. */
export interface LocatedRow extends CaptionRow {
  file: string;
}

/** A row left out, named as the captions file names it, with why. */
export interface MissingRow {
  file: string;
  reason: string;
}

const join = (...parts: string[]) => parts.filter((p) => p !== '').join('/');

/** Whether something other than a folder is at `relative`; the embedder says what is wrong with a non-image. */
async function exists(root: string, relative: string): Promise<boolean> {
  try {
    return !(await lstat(await resolveInsideLibrary(root, relative))).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/**
 * Where each row's image is, in the rows' order: `<folder>/<category>/<filename>` if that file exists (the same
 * name may be in several category folders), else `<folder>/<filename>`. `folder` is relative to `root` ('' for
 * the root itself); a name that would lead outside it, through `..` or a symbolic link, is not looked up. A row
 * whose image is not there comes back as a `MissingRow`, with why.
 */
export async function locateCaptionImages(
  root: string,
  folder: string,
  rows: readonly CaptionRow[],
): Promise<(LocatedRow | MissingRow)[]> {
  const shown = folder === '' ? 'the folder' : `${folder}/`;
  const located: (LocatedRow | MissingRow)[] = [];
  for (const row of rows) {
    const name = librarySegments(row.filename.replaceAll('\\', '/'));
    if (!name) {
      located.push({ file: row.filename, reason: `the name leads outside ${shown}` });
      continue;
    }
    const category = librarySegments(row.category);
    const candidates = [...(category ? [join(folder, ...category, ...name)] : []), join(folder, ...name)];
    try {
      const file = await findFirst(root, candidates);
      const where = candidates.map((c) => path.posix.dirname(c)).map((d) => (d === '.' ? shown : `${d}/`));
      located.push(
        file ? { ...row, file } : { file: row.filename, reason: `not found in ${where.join(' or ')}` },
      );
    } catch (error) {
      if (!(error instanceof ClipSortError)) throw error;
      located.push({ file: row.filename, reason: errorMessage(error) });
    }
  }
  return located;
}

async function findFirst(root: string, candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await exists(root, candidate)) return candidate;
  return undefined;
}
