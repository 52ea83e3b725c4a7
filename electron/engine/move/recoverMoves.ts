/**
 * Bringing unfinished moves to an end, so that every file exists exactly once: at start (after a crash or a power
 * cut, for every `planned` row) and right after a move fails. What is on disk decides, read against what the
 * journal recorded; a file is removed only when another name provably holds the same bytes.
 */
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';
import { fsyncDir } from '../fs/durable.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { claimFreeName } from './claimName.js';
import { fileKey, hashFile, hashUnchanged, mtimeMsOf, statOrMissing } from './fileState.js';
import { FolderNames } from './folderNames.js';
import { holdFolder, type HeldFolder } from './heldFolder.js';
import type { MoveJournal, MoveRow } from '../store/moveJournal.js';
import { DEFAULT_BUSY_RETRY, unlinkPatiently, type BusyRetry } from './patientUnlink.js';
import { removeByIdentity, unpark } from './removeByIdentity.js';

/** A move that needs a person's attention, or could not be resolved yet. */
export interface MoveProblem {
  id: number;
  /** The library-relative path the move started from. */
  path: string;
  code: string;
  message: string;
}

/** `done`: the file is at its destination; `put-back`: at its source; `failed`: see the problem; `left`: still planned. */
export type SettleOutcome = 'done' | 'put-back' | 'failed' | 'left';

export interface SettleOptions {
  /** When both the source and a complete destination exist: `finish` the move (at start), or `roll-back` (after a failure). */
  prefer: 'finish' | 'roll-back';
  /** The state a move that is put back gets, and the reason recorded with it. */
  failState: 'failed' | 'rolled-back';
  reason: string;
  names: FolderNames;
  retry: BusyRetry;
  /** Paths that reach the row's folders whatever happened to their names (see heldFolder.ts), when held. */
  folders?: HeldPaths;
}

/** Paths that reach a move's source and destination folders (either may be missing). */
export interface HeldPaths {
  source?: string;
  destination?: string;
}

/** True when `file` holds exactly the content the row moved. */
async function holdsContent(file: string, row: MoveRow): Promise<boolean> {
  const found = await hashFile(file);
  return found !== undefined && found.size === row.size && found.sha256 === row.sha256;
}

async function folderExists(folder: string): Promise<boolean> {
  return (await fs.stat(folder).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Where a library-relative path of the row's is on disk: through the held folder when it lies in one (the source
 * name and its parked name in the source folder; the destination and its temporary copy in the destination's).
 */
function locator(root: string, row: MoveRow, folders: HeldPaths = {}): (relative: string) => string {
  const held = new Map<string, string>();
  if (folders.destination) held.set(path.posix.dirname(row.destination), folders.destination);
  if (folders.source) held.set(path.posix.dirname(row.source), folders.source);
  return (relative) => {
    const folder = held.get(path.posix.dirname(relative));
    return folder ? path.join(folder, path.posix.basename(relative)) : resolveLibraryPath(root, relative);
  };
}

/** Removes a name and flushes its folder, retrying while the file is locked. */
async function removeName(file: string, retry: BusyRetry): Promise<void> {
  await unlinkPatiently(file, retry);
  await fsyncDir(path.dirname(file));
}

/**
 * Resolves one planned row from what is on disk. Throws only when the filesystem refuses (the row then stays
 * planned, to be tried again at the next start).
 */
export async function settleMove(
  root: string,
  journal: MoveJournal,
  row: MoveRow,
  options: SettleOptions,
): Promise<{ outcome: SettleOutcome; problem?: MoveProblem }> {
  const { retry, prefer } = options;
  const problem = (code: string, message: string): MoveProblem => ({
    id: row.id,
    path: row.source,
    code,
    message,
  });
  const locate = locator(root, row, options.folders);
  const sourcePath = locate(row.source);
  const destinationPath = locate(row.destination);
  if (row.parked !== null) {
    // Stopped while the source had its private name: it goes back under its own, and the rules below decide.
    const parkedPath = locate(row.parked);
    if ((await statOrMissing(parkedPath))?.isFile()) await unpark(parkedPath, path.basename(sourcePath));
  }
  const temporaryPath = row.temporary === null ? undefined : locate(row.temporary);
  const source = await statOrMissing(sourcePath);
  const destination = await statOrMissing(destinationPath);
  const temporary = temporaryPath === undefined ? undefined : await statOrMissing(temporaryPath);

  const sourceIsOriginal = source !== undefined && fileKey(source) === row.sourceFile;
  const sourceUnchanged =
    sourceIsOriginal && source.size === BigInt(row.size) && mtimeMsOf(source) === row.mtimeMs;
  // An inode number can be reused once its file is gone, so each identity is checked against what else must hold.
  const twoNames =
    source !== undefined && destination?.isFile() === true && fileKey(source) === fileKey(destination);
  // (A link move has no temporary copy, so deciding it is done removes nothing.)
  const linked =
    row.method === 'link' && destination?.isFile() === true && fileKey(destination) === row.sourceFile;
  const copyIdentity =
    row.method !== 'link' &&
    destination?.isFile() === true &&
    row.copyFile !== null &&
    fileKey(destination) === row.copyFile;
  const complete = copyIdentity && (await holdsContent(destinationPath, row));
  // A copy gets its name only once complete; a direct copy (no hard links) is ours from its first byte.
  const copied = copyIdentity && (complete || row.method === 'copy-direct');
  const removeTemporary = async () => {
    if (temporary && temporaryPath) await removeName(temporaryPath, retry);
  };
  /** Removes the source name, by identity: only the file `isOriginal` accepts (see removeByIdentity.ts). */
  const removeSource = async (isOriginal: (parked: string, stats: BigIntStats) => Promise<boolean>) => {
    const folder = path.posix.dirname(row.source);
    await removeByIdentity(sourcePath, {
      retry,
      parking: (parked) => journal.setParked(row.id, `${folder}/${parked}`),
      isExpected: isOriginal,
    });
  };
  const done = () => {
    journal.finish(row.id);
    return { outcome: 'done' as const };
  };
  const putBack = (reason = options.reason) => {
    journal.fail(row.id, options.failState, reason);
    return { outcome: 'put-back' as const };
  };

  if (twoNames) {
    // The hard link was made and the source not yet removed: two names of one file.
    if (source.nlink < 2n) {
      const message = `${row.source} and ${row.destination} are one directory entry; nothing was changed.`;
      return { outcome: 'left', problem: problem('move-ambiguous', message) };
    }
    await removeTemporary();
    if (prefer === 'roll-back') {
      await removeName(destinationPath, retry);
      return putBack();
    }
    const linkedKey = fileKey(destination);
    await removeSource((_parked, stats) =>
      Promise.resolve(fileKey(stats) === linkedKey && stats.nlink >= 2n),
    );
    return done();
  }
  // The file was linked and its source name removed (a new file at the source is someone else's).
  if (linked) return done();
  if (copied) {
    if (sourceIsOriginal) {
      // Our copy is at the destination and the original still at the source.
      if (prefer === 'finish' && complete && sourceUnchanged) {
        await removeTemporary();
        await removeSource(async (parked, stats) => {
          if (fileKey(stats) !== row.sourceFile || stats.size !== BigInt(row.size)) return false;
          return (await hashUnchanged(parked, stats, row.source).catch(() => undefined)) === row.sha256;
        });
        return done();
      }
      await removeName(destinationPath, retry);
      await removeTemporary();
      return putBack(sourceUnchanged ? options.reason : `${row.source} changed while it was being moved.`);
    }
    // The original left its source; the destination holds it.
    if (!complete) {
      const message =
        `${row.source} disappeared while it was being copied; the part copied to ${row.destination} ` +
        'was kept. Check whether the original is elsewhere.';
      journal.fail(row.id, 'failed', message);
      return { outcome: 'failed', problem: problem('copy-incomplete', message) };
    }
    await removeTemporary();
    return done();
  }

  // The destination does not hold our file.
  if (
    row.method === 'copy-direct' &&
    row.copyFile === null &&
    sourceIsOriginal &&
    destination?.isFile() === true &&
    destination.size === 0n &&
    Number(destination.ctimeMs) >= row.plannedAt - 2000
  ) {
    // The empty file our exclusive create made just before a crash, before its identity was recorded.
    await removeName(destinationPath, retry);
  }
  if (sourceIsOriginal) {
    await removeTemporary();
    return putBack();
  }
  // The original is neither at its source nor, as ours, at the destination.
  if (temporary && temporaryPath) {
    if (await holdsContent(temporaryPath, row)) {
      // Our complete copy is all that is left of it: give it its name.
      const target = {
        folder: path.dirname(destinationPath),
        folderRelative: path.posix.dirname(row.destination),
        wanted: path.posix.basename(row.destination),
        name: path.posix.basename(row.destination),
      };
      await claimFreeName(target, options.names, journal, row.id, (file) => fs.link(temporaryPath, file));
      await fsyncDir(target.folder);
      await removeName(temporaryPath, retry);
      return done();
    }
    const message =
      `${row.source} disappeared while it was being copied; the part copied is kept at ${row.temporary}. ` +
      'Check whether the original is elsewhere.';
    journal.fail(row.id, 'failed', message);
    return { outcome: 'failed', problem: problem('copy-incomplete', message) };
  }
  if (destination?.isFile() && (await holdsContent(destinationPath, row))) return done();
  if (
    !(await folderExists(path.dirname(sourcePath))) ||
    !(await folderExists(path.dirname(destinationPath)))
  ) {
    const message =
      `The move of ${row.source} to ${row.destination} cannot be checked: a folder is missing ` +
      '(is a disk disconnected?). It will be checked again at the next start.';
    return { outcome: 'left', problem: problem('folder-missing', message) };
  }
  const message = `${row.source} was removed by another program before it could be moved.`;
  journal.fail(row.id, 'failed', message);
  return { outcome: 'failed', problem: problem('file-missing', message) };
}

/** What recovery did. */
export interface RecoveryReport {
  /** Moves completed (the file is at its destination). */
  finished: number;
  /** Moves put back (the file is at its source). */
  rolledBack: number;
  /** Moves that need attention or stay planned until the next start. */
  problems: MoveProblem[];
}

/**
 * Resolves every unfinished move of the library so that each file exists exactly once; run it when the library
 * opens, before any move starts (it assumes no other mover is working on this library).
 */
export async function recoverMoves(
  root: string,
  index: LibraryIndex,
  options: { retry?: BusyRetry } = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = { finished: 0, rolledBack: 0, problems: [] };
  const names = new FolderNames();
  const retry = options.retry ?? DEFAULT_BUSY_RETRY;
  const groups = new Map<string, SettleOptions['prefer']>();
  for (const row of index.moves.planned()) {
    const held: HeldFolder[] = [];
    try {
      let prefer: SettleOptions['prefer'] = 'finish';
      if (row.group !== null) {
        prefer = groups.get(row.group) ?? (await groupPreference(root, index.moves, row.group));
        groups.set(row.group, prefer);
      }
      const source = await holdIfThere(root, path.posix.dirname(row.source), held);
      const destination = await holdIfThere(root, path.posix.dirname(row.destination), held);
      const settled = await settleMove(root, index.moves, row, {
        prefer,
        failState: 'rolled-back',
        reason: 'ClipSort stopped before this move was finished; the file was left where it was.',
        names,
        retry,
        folders: { source: source?.path, destination: destination?.path },
      });
      if (settled.outcome === 'done') report.finished++;
      if (settled.outcome === 'put-back') report.rolledBack++;
      if (settled.problem) report.problems.push(settled.problem);
    } catch (error) {
      report.problems.push({
        id: row.id,
        path: row.source,
        code: 'recovery-failed',
        message: `The move of ${row.source} could not be resolved yet (${errorMessage(error)}); it will be tried again at the next start.`,
      });
    } finally {
      await Promise.all(held.map((folder) => folder.close()));
    }
  }
  return report;
}

/**
 * Which way a group's unfinished moves go, so that the group ends whole on one side. The mover removes no source
 * before every file of the group is placed: once one was removed (a move done, a source parked or gone), every
 * file is placed and the group is finished; before that, a file may not be placed yet and the group goes back.
 */
async function groupPreference(
  root: string,
  journal: MoveJournal,
  group: string,
): Promise<SettleOptions['prefer']> {
  const rows = journal.group(group);
  if (rows.some((row) => row.state === 'done' || (row.state === 'planned' && row.parked !== null)))
    return 'finish';
  for (const row of rows) {
    if (row.state !== 'planned') continue;
    const source = await statOrMissing(resolveLibraryPath(root, row.source));
    if (source === undefined || fileKey(source) !== row.sourceFile) return 'finish';
  }
  return 'roll-back';
}

/** Holds a library folder (adding it to `held`), or `undefined` when it is not there. */
async function holdIfThere(
  root: string,
  relative: string,
  held: HeldFolder[],
): Promise<HeldFolder | undefined> {
  try {
    const folder = await holdFolder(root, relative);
    held.push(folder);
    return folder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
