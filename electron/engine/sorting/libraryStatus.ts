import { readClassFolders, skippedClassFolders, type SkippedClass } from '../library/classFolders.js';
import { listImageFiles, scanImageFiles } from '../library/imageFiles.js';
import { libraryFolders } from '../library/libraryPaths.js';
import { sanitiseClassName } from '../library/safeNames.js';
import type { SkippedEntry } from '../library/skippedEntries.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

export interface LibraryStatus {
  /** Images in `Images/` now. */
  inbox: number;
  /** Of those, waiting for a person. */
  review: number;
  /** Videos in `Images/`: left there, unsorted (ClipSort sorts photos), never an error. */
  videos: number;
  classes: { name: string; references: number; sorted: number }[];
  /** Entries of `Classes/` left out (links), and why. */
  skippedClasses: SkippedClass[];
  /** Entries of `Images/` left where they are, unsorted (unreadable folders, names not UTF-8, other libraries). */
  skippedInbox: SkippedEntry[];
  /** Files that could not be used, with the reason and its code, while they are unchanged and still there. */
  errors: { file: string; code: string | null; error: string }[];
}

/** Counts of a library, read from disk and the index. */
export async function libraryStatus(root: string, index: LibraryIndex): Promise<LibraryStatus> {
  const { images, dataset } = libraryFolders(root);
  const [inbox, classes, skippedClasses, sorted] = await Promise.all([
    scanImageFiles(root, images),
    readClassFolders(root),
    skippedClassFolders(root),
    listImageFiles(root, dataset).catch(() => []),
  ]);
  const present = new Set([...inbox.files, ...classes.flatMap((c) => c.references)]);
  const perFolder = new Map<string, number>();
  for (const file of sorted) {
    const folder = file.split('/')[1]!;
    perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
  }
  return {
    inbox: inbox.files.length,
    review: index.review.list().filter((item) => present.has(item.path)).length,
    videos: inbox.videos.length,
    classes: classes.map((c) => ({
      name: c.name,
      references: c.references.length,
      sorted: perFolder.get(sanitiseClassName(c.name)) ?? 0,
    })),
    skippedClasses,
    skippedInbox: inbox.skipped,
    errors: index.files
      .errors()
      .filter((record) => present.has(record.path))
      .map((record) => ({
        file: record.path,
        code: record.errorCode,
        error: record.error ?? record.errorCode ?? 'unknown error',
      })),
  };
}
