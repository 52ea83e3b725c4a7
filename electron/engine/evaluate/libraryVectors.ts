import { stat } from 'node:fs/promises';
import { embedFiles, type EmbedError, type EmbedOptions } from '../embedding/embedFiles.js';
import type { ClipModel } from '../inference/clipModel.js';
import { listImageFiles } from '../library/imageFiles.js';
import { libraryFolders } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

export interface LibraryVectors {
  /** Library-relative paths of the images that have an embedding: the inbox, then `Classes/`, then `Dataset/`. */
  files: string[];
  vectors: Float32Array[];
  /** Images that could not be embedded, with why. */
  errors: EmbedError[];
}

const isFolder = (folder: string) =>
  stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** Every image of the library, by library-relative path: the inbox, then `Classes/`, then `Dataset/`. */
export async function libraryImageFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of Object.values(libraryFolders(root))) {
    if (await isFolder(folder)) files.push(...(await listImageFiles(root, folder)));
  }
  return files;
}

/**
 * Every image of the library (the inbox, the class references and the sorted images) with its embedding. Images
 * embedded before are read from the index; the others are embedded now and kept there.
 */
export async function libraryVectors(
  root: string,
  model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>,
  index: LibraryIndex,
  options: EmbedOptions = {},
): Promise<LibraryVectors> {
  const files = await libraryImageFiles(root);
  const report = await embedFiles(root, files, model, index, options);
  const embedded = files.filter((file) => report.vectors.has(file));
  return {
    files: embedded,
    vectors: embedded.map((file) => report.vectors.get(file)!),
    errors: report.errors,
  };
}
