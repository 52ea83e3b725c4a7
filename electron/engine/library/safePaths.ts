/**
 * Names and paths that come from people or from disk, made safe: class names become one portable folder name, and
 * library-relative paths are refused when they could reach outside the library.
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { libraryFolders } from './libraryPaths.js';

/** The longest file or folder name, in UTF-8 bytes, that ext4, APFS, NTFS and exFAT all accept. */
export const MAX_NAME_BYTES = 255;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `text` that fits in `maxBytes` of UTF-8, cut between characters as a person sees them (an
 * emoji or an accented letter stays whole), or between code points when one "character" is itself too long.
 */
export function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let fitted = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = Buffer.byteLength(segment);
    if (bytes + size > maxBytes) {
      if (fitted === '') {
        for (const codePoint of segment) {
          const pointSize = Buffer.byteLength(codePoint);
          if (bytes + pointSize > maxBytes) break;
          fitted += codePoint;
          bytes += pointSize;
        }
      }
      break;
    }
    fitted += segment;
    bytes += size;
  }
  return fitted;
}

/** Characters no folder name may hold somewhere: separators, Windows' reserved set, C0 and C1 controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Leading and trailing dots and white space: hidden on Unix, dropped silently by Windows. */
const EDGES = /^[\s.]+|[\s.]+$/gu;
/** Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`, `COM1`, `LPT²`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)\s*(\.|$)/iu;

/** The name a class folder gets when nothing usable is left of the name asked for. */
export const UNNAMED_CLASS = 'unnamed';

/**
 * A class name as one folder name that is safe on every desktop filesystem: NFC, no separators, `..`, control or
 * reserved characters (each becomes `_`), no leading or trailing dots and spaces, not a Windows device name
 * (`CON` → `CON_`), at most 255 bytes of UTF-8, never empty. Other Unicode, emoji included, is kept.
 */
export function sanitiseClassName(name: string): string {
  const trim = (text: string) => text.replace(EDGES, '');
  let clean = trim(name.normalize('NFC').replace(LONE_SURROGATE, '_').replace(UNSAFE_CHARACTERS, '_'));
  clean = trim(fitBytes(clean, MAX_NAME_BYTES - 1)); // one byte spare for the device-name mark
  if (clean === '') return UNNAMED_CLASS;
  if (WINDOWS_DEVICE.test(clean)) clean = clean.replace(/^[^.\s]*/u, (device) => `${device}_`);
  return clean;
}

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
