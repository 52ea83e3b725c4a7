import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` (following links to folders), as paths relative to `dir` with forward slashes. */
export async function walk(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: string[] = [];
  for (const name of entries) {
    const full = path.join(dir, name);
    const stats = await stat(full).catch(() => lstat(full)); // a dangling link is listed as a file
    if (stats.isDirectory()) found.push(...(await walk(full, `${prefix}${name}/`)));
    else found.push(`${prefix}${name}`);
  }
  return found.sort();
}

/** Every file under `dir` (as {@link walk} finds them) as relative path → sha256. */
export async function treeHashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await walk(dir)) {
    out.set(
      file,
      createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex'),
    );
  }
  return out;
}

/** The sorted list of hashes: equal multisets mean the same files, wherever they are. */
export const hashMultiset = (tree: Map<string, string>) => [...tree.values()].sort();

/** The photos of a library: every file in Dataset/ and Images/ (library-relative), and the multiset of their hashes. */
export async function libraryPhotos(root: string): Promise<{ files: string[]; hashes: string[] }> {
  const files: string[] = [];
  const hashes: string[] = [];
  for (const folder of ['Dataset', 'Images']) {
    const tree = await treeHashes(path.join(root, folder));
    files.push(...[...tree.keys()].map((file) => `${folder}/${file}`));
    hashes.push(...tree.values());
  }
  return { files, hashes: hashes.sort() };
}
