/**
 * The folder of a class, in `Classes/` (its reference images) or `Dataset/` (its sorted images). A name that
 * differs from an existing class only in case or Unicode form is that class, so filing never makes a second one.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { ClipSortError } from '../../engine/errors.js';
import { readClassFolders } from '../../engine/library/classFolders.js';
import { resolveLibraryPath } from '../../engine/library/libraryPaths.js';
import { sanitiseClassName } from '../../engine/library/safeNames.js';
import { resolveInsideLibrary } from '../../engine/library/safePaths.js';
import { nameKey } from '../../engine/move/freeName.js';

/** The class for `name`: an existing one that differs only in case or Unicode form, else `name` made safe. */
async function className(root: string, name: string): Promise<{ name: string; exists: boolean }> {
  const clean = sanitiseClassName(name);
  const existing = (await readClassFolders(root)).find((c) => nameKey(c.name) === nameKey(clean));
  return existing ? { name: existing.name, exists: true } : { name: clean, exists: false };
}

/**
 * The class folder for `name` under `Classes/`, created when missing: an existing class that differs only in case
 * or Unicode form is used rather than making a second one.
 */
export async function ensureClassFolder(
  root: string,
  name: string,
): Promise<{ name: string; folder: string; created: boolean }> {
  const found = await className(root, name);
  const folder = `Classes/${found.name}`;
  if (found.exists) return { name: found.name, folder, created: false };
  const absolute = await resolveInsideLibrary(root, folder);
  try {
    await mkdir(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { name: found.name, folder, created: false };
    if (code === 'ENOENT') {
      throw new ClipSortError(
        'not-a-library',
        `${root} has no Classes/ folder; run \`clipsort init\` on it.`,
      );
    }
    throw error;
  }
  return { name: found.name, folder, created: true };
}

/** The `Dataset/` folder for `name`: the class's own name when it exists, else `name` made safe. */
export async function datasetFolder(root: string, name: string): Promise<string> {
  const found = await className(root, name);
  if (found.exists) return `Dataset/${found.name}`;
  const dataset = resolveLibraryPath(root, 'Dataset');
  const present = await listFolders(dataset);
  return `Dataset/${present.find((folder) => nameKey(folder) === nameKey(found.name)) ?? found.name}`;
}

async function listFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
