/**
 * Removing a file by what it is, never by its name. Checking a name and then unlinking it is a race: an editor or
 * a sync client that saves by atomic rename in between puts its newer version at that name, and the unlink takes
 * the newer version. So the name is first renamed to a private name in its own folder; what now sits under the
 * private name can no longer be replaced by anyone, and is checked; only the file that was expected is unlinked,
 * anything else goes back under its name (a free numbered one, if the name was taken again meanwhile).
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { fsyncDir } from '../fs/durable.js';
import { claimName } from './claimName.js';
import { NO_HARD_LINKS, TEMPORARY_PREFIX } from './crossDevice.js';
import { FolderNames } from './folderNames.js';
import { fileKey, statOrMissing } from './fileState.js';
import { renamePatiently, unlinkPatiently, type BusyRetry } from './patientUnlink.js';

/** A private name for a file being removed: a dot-name the watcher and listings ignore. */
export function parkingName(): string {
  return `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}.leaving.tmp`;
}

export interface RemoveByIdentity {
  /** Whether the file now under the private name (`parked`, its stats `stats`) is the one to remove. */
  isExpected(parked: string, stats: BigIntStats): Promise<boolean>;
  /** Told the private name (in the file's folder) before the rename, so that recovery can find it after a crash. */
  parking(name: string): void;
  retry: BusyRetry;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([statOrMissing(a), statOrMissing(b)]);
  return first !== undefined && second !== undefined && fileKey(first) === fileKey(second);
}

/**
 * Puts a parked file back in its folder under `name`, or under a free numbered name when `name` is taken; never
 * replaces a file. Resolves to the name it got.
 */
export async function unpark(parked: string, name: string): Promise<string> {
  const folder = path.dirname(parked);
  const target = { folder, folderRelative: folder, wanted: name, name };
  const placed = await claimName(target, new FolderNames(), async (file) => {
    try {
      await fs.link(parked, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // Put back already, by an earlier try that could not remove the private name.
      if (code === 'EEXIST' && (await sameFile(parked, file))) return;
      if (!NO_HARD_LINKS.has(code)) throw error;
      // No hard links here: a rename, after making sure the name is free (the best such a filesystem allows).
      if (await statOrMissing(file)) throw Object.assign(new Error('taken'), { code: 'EEXIST' });
      await fs.rename(parked, file);
    }
  });
  if (await statOrMissing(parked)) await fs.unlink(parked);
  await fsyncDir(folder);
  return path.basename(placed);
}

/**
 * Removes `file` if, once it has a private name, it is the file expected; otherwise puts it back and throws
 * `file-changing`. Resolves to false when `file` was already gone.
 */
export async function removeByIdentity(file: string, how: RemoveByIdentity): Promise<boolean> {
  const name = parkingName();
  const parked = path.join(path.dirname(file), name);
  how.parking(name);
  try {
    await renamePatiently(file, parked, how.retry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const stats = await fs.lstat(parked, { bigint: true });
  if (!stats.isFile() || !(await how.isExpected(parked, stats))) {
    const back = await unpark(parked, path.basename(file));
    throw new ClipSortError(
      'file-changing',
      `${path.basename(file)} was replaced by a newer version while it was being moved; the newer version was ` +
        `kept${back === path.basename(file) ? '' : ` as ${back}`}, and it will be looked at again.`,
    );
  }
  await unlinkPatiently(parked, how.retry);
  await fsyncDir(path.dirname(file));
  return true;
}
