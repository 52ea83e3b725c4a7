import path from 'node:path';

/** The name of the folder where a library (or any embedded folder) keeps its own state. */
export const STATE_FOLDER = '.clipsort';

/** Where a library (or any embedded folder) keeps its own state. */
export function stateDir(root: string): string {
  return path.join(root, STATE_FOLDER);
}

/** The library's SQLite index. */
export function databasePath(root: string): string {
  return path.join(stateDir(root), 'library.db');
}

/** The three folders of a library. */
export function libraryFolders(root: string) {
  return {
    images: path.join(root, 'Images'),
    classes: path.join(root, 'Classes'),
    dataset: path.join(root, 'Dataset'),
  };
}

/** An absolute path for a library-relative one (forward slashes). */
export function resolveLibraryPath(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}
