/**
 * The library's vectors kept between searches, so that searching 100,000 images scores them in memory instead
 * of walking every folder and checking every file against the index again on each query. They are kept while
 * nothing can have changed them: the index has had no write (no image embedded, moved or forgotten) and every
 * folder that held an image, every class folder and the three library folders keep their modification time,
 * which a file added, removed or renamed in them changes. A file rewritten in place keeps its folder's time: its
 * earlier embedding serves until something else changes, as it would between two rescans.
 *
 * The vectors are kept packed in one block, which a search scores in one pass (`queryScores`); each image's
 * vector is a view into it, so they take the memory once.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { packEmbeddings, type Embeddings } from '../analysis/embeddings.js';
import type { ClipModel } from '../inference/clipModel.js';
import { libraryFolders } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import type { EmbedOptions } from '../embedding/embedFiles.js';
import { libraryVectors, type LibraryVectors } from './libraryVectors.js';

/** The library's vectors, also packed in row order: row i is `files[i]`'s. */
export interface SearchVectors extends LibraryVectors {
  packed: Embeddings;
}

interface Kept {
  modelKey: string;
  changes: number;
  /**
   * Folder → modification time. Those of the library and class folders are taken before the walk, so that a
   * change during it shows next time; those of deeper folders once the walk has found them.
   */
  folders: Map<string, number>;
  vectors: SearchVectors;
}

const kept = new WeakMap<LibraryIndex, Kept>();

const mtimeOf = (folder: string) =>
  stat(folder).then(
    (s) => s.mtimeMs,
    () => -1,
  );

/** The library folders and the class folders under `Classes/` and `Dataset/`. */
async function classFolders(root: string): Promise<string[]> {
  const { images, classes, dataset } = libraryFolders(root);
  const children = async (folder: string) =>
    (await readdir(folder, { withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(folder, entry.name));
  return [images, classes, dataset, ...(await children(classes)), ...(await children(dataset))];
}

async function mtimes(folders: Iterable<string>): Promise<Map<string, number>> {
  const list = [...new Set(folders)];
  const times = await Promise.all(list.map(mtimeOf));
  return new Map(list.map((folder, i) => [folder, times[i]!]));
}

async function unchanged(root: string, index: LibraryIndex, modelKey: string, held: Kept): Promise<boolean> {
  if (held.modelKey !== modelKey || held.changes !== index.changeCount()) return false;
  const folders = new Set([...held.folders.keys(), ...(await classFolders(root))]);
  if (folders.size !== held.folders.size) return false;
  const now = await mtimes(folders);
  return [...now].every(([folder, time]) => held.folders.get(folder) === time);
}

/** The vectors as views into one packed block. */
function packVectors(found: LibraryVectors): SearchVectors {
  const packed = packEmbeddings(found.vectors);
  const { data, dims } = packed;
  const vectors = found.vectors.map((_, i) => data.subarray(i * dims, (i + 1) * dims));
  return { ...found, vectors, packed };
}

/** `libraryVectors`, packed, from memory while the library has not changed since the last call. */
export async function cachedLibraryVectors(
  root: string,
  model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages'>,
  index: LibraryIndex,
  options: EmbedOptions = {},
): Promise<SearchVectors> {
  const held = kept.get(index);
  if (held && (await unchanged(root, index, model.key, held))) return held.vectors;
  const before = await mtimes(await classFolders(root));
  const vectors = packVectors(await libraryVectors(root, model, index, options));
  const touched = [...vectors.files, ...vectors.errors.map((e) => e.file)].map((file) =>
    path.dirname(path.join(root, file)),
  );
  const folders = new Map([...before, ...(await mtimes(touched.filter((folder) => !before.has(folder))))]);
  kept.set(index, { modelKey: model.key, changes: index.changeCount(), folders, vectors });
  return vectors;
}
