/**
 * Paths that come from people or from disk, made safe: library-relative paths are refused when they could reach
 * outside the library (names themselves are made safe in safeNames.ts).
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { libraryFolders } from './libraryPaths.js';

/**
 * The segments of a library-relative path (forward slashes; `.` and empty segments dropped), or `undefined` when
 * the path could lead outside the library: absolute, a drive letter or UNC prefix, a `..` segment (with either
 * slash), or a NUL byte. An empty path (the library itself) is refused too.
 */
export function librarySegments(relative: string): string[] | undefined {
  if (relative.includes('\0')) return undefined;
  if (/^[/\\]/.test(relative) || /^[a-zA-Z]:/.test(relative)) return undefined;
  if (relative.split(/[/\\]/).some((segment) => segment === '..')) return undefined;
  const segments = relative.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.length > 0 ? segments : undefined;
}

function outside(relative: string, why: string): ClipSortError {
  return new ClipSortError(
    'path-outside-library',
    `${relative}: ${why}; ClipSort only works inside the library.`,
  );
}

/** True when `child` is `parent` or lies below it (both absolute, links resolved). */
export function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The absolute path of a library-relative one, checked to stay inside the library: lexically (see
 * `librarySegments`), and on disk, where no existing component may be a symbolic link that leads out. The
 * library's own folders (`Images`, `Classes`, `Dataset`) may themselves be links, so that one of them can live on
 * another disk; everything below them must stay inside the library or that folder.
 */
export async function resolveInsideLibrary(root: string, relative: string): Promise<string> {
  const segments = librarySegments(relative);
  if (!segments) throw outside(relative, 'this path leads outside the library');
  const ownFolders = new Set(Object.values(libraryFolders(root)).map((folder) => path.basename(folder)));
  const allowed: string[] = [];
  let current = root;
  for (const [depth, segment] of segments.entries()) {
    current = path.join(current, segment);
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') break; // nothing below a missing name can be a link
      throw error;
    }
    if (allowed.length === 0) allowed.push(await realpath(root));
    if (depth === 0 && stats.isSymbolicLink() && ownFolders.has(segment)) {
      allowed.push(await realpath(current).catch(() => current));
      continue;
    }
    if (stats.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(current);
      } catch {
        throw outside(relative, `${segment} is a symbolic link that leads nowhere`);
      }
      if (!allowed.some((folder) => isWithin(folder, target))) {
        throw outside(relative, `${segment} is a symbolic link to ${target}`);
      }
    }
  }
  return path.join(root, ...segments);
}
