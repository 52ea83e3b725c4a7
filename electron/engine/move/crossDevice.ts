/**
 * Moving a file to another device (or to a filesystem without hard links): copy it under a temporary dot-name in
 * the destination folder, flush it, verify the copy's size and sha256 against the source's, then give it its name
 * without ever replacing a file. The caller removes the source only after that.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { fsyncDir, writeAll } from '../fs/durable.js';
import { claimFreeName, type MoveTarget } from './claimName.js';
import { changing, fileKey, hashFile, isSameVersion, openForReading, readChunks } from './fileState.js';
import type { FolderNames } from './folderNames.js';
import type { MoveJournal } from '../store/moveJournal.js';
import { unlinkPatiently, type BusyRetry } from './patientUnlink.js';

/** Temporary copies are dot-names (ignored by the watcher and the listings) with this prefix and `.tmp`. */
export const TEMPORARY_PREFIX = '.clipsort-';

/** True for the name of one of our temporary copies. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith(TEMPORARY_PREFIX) && name.endsWith('.tmp');
}

/** Errors of `link` that mean "no hard links here", not "you may not". */
export const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** One file on its way to another device. */
export interface CrossDeviceMove {
  id: number;
  journal: MoveJournal;
  names: FolderNames;
  retry: BusyRetry;
  /** Absolute path of the source, its state when the move was planned, and its sha256. */
  source: string;
  sourceStats: BigIntStats;
  sha256: string;
  name: string;
  target: MoveTarget;
}

/**
 * Copies `from` (which must still be `expected`) to `to`, created exclusively (EEXIST when taken), with the
 * source's permissions and times, flushed to disk. `created` is told the new file's `dev:ino` before any byte is
 * written. Resolves to the sha256 of the bytes read.
 */
export async function copyExclusive(
  from: string,
  expected: BigIntStats,
  to: string,
  created: (fileKey: string) => void,
  name: string,
): Promise<string> {
  const input = await openForReading(from);
  try {
    const before = await input.stat({ bigint: true });
    if (!isSameVersion(expected, before)) throw changing(name);
    const output = await fs.open(to, 'wx', 0o600);
    const hash = createHash('sha256');
    try {
      created(fileKey(await output.stat({ bigint: true })));
      await readChunks(input, async (chunk) => {
        hash.update(chunk);
        await writeAll(output, chunk);
      });
      await output.chmod(Number(before.mode & 0o777n));
      await output.utimes(Number(before.atimeNs) / 1e9, Number(before.mtimeNs) / 1e9);
      await output.sync();
    } finally {
      await output.close();
    }
    if (!isSameVersion(before, await input.stat({ bigint: true }))) throw changing(name);
    return hash.digest('hex');
  } finally {
    await input.close();
  }
}

/** Checks a copy on disk against the content being moved. */
async function verifyCopy(file: string, move: CrossDeviceMove): Promise<void> {
  const copy = await hashFile(file);
  if (!copy || copy.size !== Number(move.sourceStats.size) || copy.sha256 !== move.sha256) {
    throw new ClipSortError(
      'copy-mismatch',
      `The copy of ${move.name} did not read back as written (the destination disk may be failing); ` +
        'the original was left where it is.',
    );
  }
}

/**
 * Copies the source into the target folder and gives the copy a free name there. Resolves to the copy's path;
 * the journal row then names the copy (`copy_file`) so that recovery can tell it from anyone else's file.
 */
export async function copyAcross(move: CrossDeviceMove): Promise<string> {
  const { id, journal, target } = move;
  const temporaryName = `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}.tmp`;
  const temporary = path.join(target.folder, temporaryName);
  journal.startCopy(id, `${target.folderRelative}/${temporaryName}`);
  const read = await copyExclusive(
    move.source,
    move.sourceStats,
    temporary,
    (key) => journal.setCopyFile(id, key),
    move.name,
  );
  if (read !== move.sha256) throw changing(move.name);
  await verifyCopy(temporary, move);

  let linked = true;
  const placed = await claimFreeName(target, move.names, journal, id, async (file) => {
    try {
      await fs.link(temporary, file);
    } catch (error) {
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      // No hard links on this filesystem: write a second copy straight to the final name, exclusively.
      if (linked) journal.startDirectCopy(id);
      linked = false;
      const temporaryStats = await fs.lstat(temporary, { bigint: true });
      await copyExclusive(temporary, temporaryStats, file, (key) => journal.setCopyFile(id, key), move.name);
    }
  });
  if (!linked) await verifyCopy(placed, move);
  await fsyncDir(target.folder);
  await unlinkPatiently(temporary, move.retry);
  await fsyncDir(target.folder);
  return placed;
}
