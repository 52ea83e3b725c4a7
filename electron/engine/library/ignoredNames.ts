/**
 * Names the watcher never reports: hidden entries (our own `.clipsort-*.tmp` files and the `.clipsort` folder
 * among them) and the names downloaders, copiers and editors give files that are still being written.
 */

/** Endings of files (or, for Safari, folders) that are still being downloaded or copied. */
export const TEMPORARY_SUFFIXES = [
  '.part', // Firefox, wget --continue
  '.crdownload', // Chrome, Edge
  '.download', // Safari (a folder holding the partial file)
  '.partial', // old Internet Explorer / Edge
  '.opdownload', // Opera
  '.tmp',
  '.temp',
  '.filepart', // WinSCP
  '.aria2', // aria2's control file, beside a preallocated file
  '.!ut', // µTorrent
  '.!qb', // qBittorrent
  '.!bt', // BitTorrent
  '.bc!', // BitComet
  '.dtapart', // DownThemAll
] as const;

/** Prefix of Office's lock files (`~$report.docx`). */
const LOCK_PREFIX = '~$';

/** True for a name that is hidden or marks an unfinished file; such entries (and folders) are never reported. */
export function isIgnoredName(name: string): boolean {
  if (name.startsWith('.')) return true;
  if (name.startsWith(LOCK_PREFIX)) return true;
  const lower = name.toLowerCase();
  return TEMPORARY_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** The name a download in progress will have when done (`IMG_1.MOV.crdownload` → `IMG_1.MOV`), if it is one. */
export function downloadTarget(name: string): string | undefined {
  const lower = name.toLowerCase();
  const suffix = TEMPORARY_SUFFIXES.find((each) => lower.endsWith(each));
  return suffix === undefined || suffix.length === name.length ? undefined : name.slice(0, -suffix.length);
}

/** True when any segment of a library-relative path (forward slashes) is an ignored name. */
export function isIgnoredPath(relative: string): boolean {
  return relative.split('/').some(isIgnoredName);
}

/**
 * True when `names` (the entries of a file's folder) hold a download still in progress for `name`: Firefox keeps an
 * empty `photo.jpg` beside `photo.jpg.part`, aria2 a preallocated `photo.jpg` beside `photo.jpg.aria2`. Such a file
 * is not complete even though its size has stopped changing. `lowerNames` are the folder's names in lower case.
 */
export function hasDownloadCompanion(name: string, lowerNames: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return TEMPORARY_SUFFIXES.some((suffix) => lowerNames.has(lower + suffix));
}
