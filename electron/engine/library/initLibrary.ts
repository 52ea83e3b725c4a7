import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { libraryFolders, stateDir } from './libraryPaths.js';

/**
 * Makes `root` a library: creates `Images/`, `Classes/`, `Dataset/` and `.clipsort/` where missing and touches
 * nothing else. Returns the folders it created (none when it already was a library).
 */
export async function initLibrary(root: string): Promise<string[]> {
  const existing = await stat(root).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new ClipSortError('not-a-folder', `${root} is a file, not a folder; a library is a folder.`);
  }
  const { images, classes, dataset } = libraryFolders(root);
  const created: string[] = [];
  for (const folder of [root, images, classes, dataset, stateDir(root)]) {
    if (await mkdir(folder, { recursive: true })) created.push(path.relative(root, folder) || '.');
  }
  return created;
}
