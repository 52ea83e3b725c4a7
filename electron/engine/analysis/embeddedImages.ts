/**
 * The library's embedded images, read from its index without embedding anything: every image in `Images/`,
 * `Classes/<class>/` and `Dataset/<class>/` whose file is unchanged since it was embedded with this model.
 */
import { lstat } from 'node:fs/promises';
import { readClassFolders, type ClassFolder } from '../library/classFolders.js';
import { listImageFiles } from '../library/imageFiles.js';
import { libraryFolders, resolveLibraryPath } from '../library/libraryPaths.js';
import { isUnchanged } from '../store/fileIndex.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

export type ImageKind = 'inbox' | 'reference' | 'sorted';

export interface EmbeddedImage {
  /** Library-relative path. */
  file: string;
  kind: ImageKind;
  /** The class its folder gives it; null in the inbox (or loose in `Dataset/`). */
  class: string | null;
  sha256: string;
  vector: Float32Array;
}

export interface EmbeddedLibrary {
  /** In path order. */
  images: EmbeddedImage[];
  /** The classes of `Classes/`, as the sorter reads them. */
  classes: ClassFolder[];
}

/** Files looked at together: their stats are awaited at once, then their index rows read. */
const CHUNK = 256;

/** The image files of a folder, or none when it does not exist. */
const imagesIn = (root: string, folder: string) =>
  listImageFiles(root, folder).catch((error: unknown) =>
    lstat(folder).then(
      () => Promise.reject(error as Error),
      () => [],
    ),
  );

/** Every image of the library that has an embedding from the model `modelKey`, with where it lies. */
export async function embeddedImages(
  root: string,
  index: LibraryIndex,
  modelKey: string,
): Promise<EmbeddedLibrary> {
  const folders = libraryFolders(root);
  const [inbox, classes, sorted] = await Promise.all([
    imagesIn(root, folders.images),
    readClassFolders(root),
    imagesIn(root, folders.dataset),
  ]);
  const candidates: Omit<EmbeddedImage, 'sha256' | 'vector'>[] = [
    ...inbox.map((file) => ({ file, kind: 'inbox' as const, class: null })),
    ...classes.flatMap((c) =>
      c.references.map((file) => ({ file, kind: 'reference' as const, class: c.name })),
    ),
    ...sorted.map((file) => {
      const segments = file.split('/');
      return { file, kind: 'sorted' as const, class: segments.length > 2 ? segments[1]! : null };
    }),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const images: EmbeddedImage[] = [];
  for (let from = 0; from < candidates.length; from += CHUNK) {
    const chunk = candidates.slice(from, from + CHUNK);
    const stats = await Promise.all(
      chunk.map((c) => lstat(resolveLibraryPath(root, c.file)).catch(() => undefined)),
    );
    chunk.forEach((candidate, i) => {
      const stat = stats[i];
      const record = index.files.get(candidate.file);
      if (!stat || !record?.sha256 || record.errorCode || !isUnchanged(record, stat.size, stat.mtimeMs))
        return;
      const vector = index.embeddings.get(record.sha256, modelKey);
      if (vector) images.push({ ...candidate, sha256: record.sha256, vector });
    });
  }
  return { images, classes };
}
