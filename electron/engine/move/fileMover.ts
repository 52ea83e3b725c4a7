/**
 * Moving a file inside the library without ever replacing or losing one. Each move is a journal row first, then
 * the filesystem change, then the row is finished. On one device the file gets a hard link at a free name (which
 * fails rather than replace a file) and the source name is removed; across devices it is copied, verified and
 * named the same way (see crossDevice.ts). Both folders are held open for the move (see heldFolder.ts), so a
 * folder swapped for a link cannot send the file elsewhere. A move that fails is put back at once by the recovery
 * rules.
 */
import type { BigIntStats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { librarySegments } from '../library/safePaths.js';
import { fsyncDir } from '../fs/durable.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { claimFreeName, targetRelative, type MoveTarget } from './claimName.js';
import { NO_HARD_LINKS, copyAcross } from './crossDevice.js';
import { changing, fileKey, hashUnchanged, isSameVersion, mtimeMsOf, statOrMissing } from './fileState.js';
import { FolderNames } from './folderNames.js';
import { freeName } from './freeName.js';
import { explainMoveError } from './moveErrors.js';
import { holdFolder, isStillAt, type HeldFolder } from './heldFolder.js';
import type { MoveKind } from '../store/moveJournal.js';
import { DEFAULT_BUSY_RETRY, type BusyRetry } from './patientUnlink.js';
import { isQuietSince, quietMsFromEnvironment, stillCopying, waitUntilQuiet } from './quietFile.js';
import { InTurn } from './inTurn.js';
import { isOpenForWriting } from './openWriters.js';
import { settleMove, type HeldPaths } from './recoverMoves.js';
import { removeByIdentity } from './removeByIdentity.js';

/** One file to move. Paths are library-relative with forward slashes. */
export interface MoveRequest {
  /** The file, e.g. `Images/2024/beach.jpg`. */
  from: string;
  /** The folder it goes into, e.g. `Dataset/beach` (created when missing). */
  toFolder: string;
  kind: MoveKind;
  /** Moves made together share a batch (see `newBatchId`); undo works batch by batch. */
  batch: string;
  /** The name wanted in `toFolder`; the file's own name unless set. A taken name gets a number either way. */
  name?: string;
  /** Refuse the move (`file-changed`) unless the file's sha256 is this: it changed since it was looked at. */
  expectSha256?: string;
  /** For an undo: the journal row this move reverses, marked undone when this one is done. */
  undoes?: number;
  /**
   * The file's last change was one of our own moves (an undo): no quiet period is waited for, though a file some
   * program has open for writing is still refused.
   */
  settled?: boolean;
}

/** The file being moved: its folder (held), its path through it, its state when taken, its library path. */
interface Source {
  folder: HeldFolder;
  path: string;
  stats: BigIntStats;
  name: string;
  sha256: string;
}

/** Where the file went. `id` is the journal row; `null` (with `to` equal to `from`) when it was already there. */
export interface MoveResult {
  id: number | null;
  from: string;
  to: string;
}

export interface FileMoverOptions {
  /** Retries when a file is locked by another program (Windows); five tries over about 1.5 s unless set. */
  retry?: BusyRetry;
  /** How long a file must have been left alone before it is taken (see quietFile.ts); `CLIPSORT_QUIET_MS` or 5 s. */
  quietMs?: number;
}

/** The library's state folder: nothing is moved out of or into it. */
const STATE_FOLDER = '.clipsort';

/** A library-relative path in canonical form; refused when it leads out of the library or into its state folder. */
export function relativePath(relative: string): string {
  const segments = librarySegments(relative);
  if (!segments) {
    throw new ClipSortError('path-outside-library', `${relative}: this path leads outside the library.`);
  }
  if (segments[0] === STATE_FOLDER) {
    throw new ClipSortError('path-outside-library', `${relative}: this is ClipSort's own state folder.`);
  }
  return segments.join('/');
}

/**
 * Moves files within one library, keeping the names it has seen in destination folders between moves. Use one
 * mover per library at a time, after `recoverMoves` has run.
 */
export class FileMover {
  private readonly names = new FolderNames();
  private readonly claims = new InTurn();
  private readonly retry: BusyRetry;
  private readonly quietMs: number;

  constructor(
    private readonly root: string,
    private readonly index: LibraryIndex,
    options: FileMoverOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_BUSY_RETRY;
    this.quietMs = options.quietMs ?? quietMsFromEnvironment();
  }

  /** Moves one file; see `MoveRequest`. Throws a ClipSortError, with the file left where it was, when it cannot. */
  async move(request: MoveRequest): Promise<MoveResult> {
    const from = relativePath(request.from);
    const toFolder = relativePath(request.toFolder);
    const sourceFolder = await holdFolder(this.root, path.posix.dirname(from)).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new ClipSortError('file-missing', `${from} is not there any more.`);
    });
    try {
      return await this.moveFrom(sourceFolder, from, toFolder, request);
    } finally {
      await sourceFolder.close();
    }
  }

  private async moveFrom(
    sourceFolder: HeldFolder,
    from: string,
    toFolder: string,
    request: MoveRequest,
  ): Promise<MoveResult> {
    const sourcePath = path.join(sourceFolder.path, path.posix.basename(from));
    const found = await statOrMissing(sourcePath);
    if (!found) throw new ClipSortError('file-missing', `${from} is not there any more.`);
    if (!found.isFile()) {
      throw new ClipSortError(
        'not-a-file',
        `${from} is not a regular file (a link, folder or device); not moved.`,
      );
    }
    const stats = await waitUntilQuiet(sourcePath, found, from, request.settled ? 0 : this.quietMs);
    let folder: HeldFolder;
    try {
      // Recorded with the batch, so that undoing it removes the folders it made once they are empty again.
      folder = await holdFolder(this.root, toFolder, {
        create: true,
        onCreated: (created) => this.index.moves.folderCreated(request.batch, created),
      });
    } catch (error) {
      throw await explainMoveError(this.root, error, from, toFolder, `${from} was left where it is.`);
    }
    try {
      if (folder.key === sourceFolder.key) return { id: null, from, to: from };
      let sha256;
      try {
        sha256 = await hashUnchanged(sourcePath, stats, from);
      } catch (error) {
        throw await explainMoveError(this.root, error, from, toFolder, `${from} was left where it is.`);
      }
      if (request.expectSha256 !== undefined && request.expectSha256 !== sha256) {
        throw new ClipSortError(
          'file-changed',
          `${from} has changed since it was last looked at; it was left where it is.`,
        );
      }
      const source = { folder: sourceFolder, path: sourcePath, stats, name: from, sha256 };
      // One name is chosen and claimed at a time per folder: two moves choosing from one listing could otherwise
      // both take `café.jpg`, spelled NFC by one and NFD by the other, which Linux keeps as two names.
      return await this.claims.run(folder.key, () => this.moveInto(folder, source, request));
    } finally {
      await folder.close();
    }
  }

  private async moveInto(folder: HeldFolder, source: Source, request: MoveRequest): Promise<MoveResult> {
    const { name: from, stats } = source;
    const wanted = request.name ?? path.posix.basename(from);
    if (librarySegments(wanted)?.length !== 1 || wanted.includes('/')) {
      throw new ClipSortError(
        'bad-name',
        `${JSON.stringify(wanted)} is not a file name; ${from} was not moved.`,
      );
    }
    const target: MoveTarget = {
      folder: folder.path,
      folderRelative: folder.relative,
      wanted,
      name: freeName(wanted, await this.names.taken(folder.path)),
    };
    const journal = this.index.moves;
    const id = journal.plan({
      batch: request.batch,
      kind: request.kind,
      source: from,
      destination: targetRelative(target),
      sha256: source.sha256,
      size: Number(stats.size),
      mtimeMs: mtimeMsOf(stats),
      sourceFile: fileKey(stats),
      undoes: request.undoes ?? null,
    });

    try {
      const placed = await this.place(id, source, target);
      await this.ensureStillAt(source.folder, folder, from);
      await this.removeSource(id, source, placed);
      journal.finish(id);
    } catch (error) {
      return this.settleFailure(id, error, from, folder.relative, {
        source: source.folder.path,
        destination: folder.path,
      });
    }
    await this.names.added(folder.path, target.name);
    this.names.forget(source.folder.path);
    return { id, from, to: targetRelative(target) };
  }

  /**
   * Refuses the move when either folder is no longer at its library path (swapped for a link, or renamed) since
   * it was opened: the file went into the folder held, wherever that is now, and is taken back out of it.
   */
  private async ensureStillAt(sourceFolder: HeldFolder, folder: HeldFolder, from: string): Promise<void> {
    const still = await Promise.all([isStillAt(this.root, sourceFolder), isStillAt(this.root, folder)]);
    if (still.every(Boolean)) return;
    const moved = still[0] ? folder.relative : sourceFolder.relative;
    throw new ClipSortError(
      'folder-changed',
      `${moved} was replaced or moved while ${from} was being moved; ${from} was left where it is.`,
    );
  }

  /** Gives the file its new name: a hard link on one device, a verified copy otherwise. */
  private async place(id: number, taken: Source, target: MoveTarget): Promise<string> {
    const { path: sourcePath, stats: source, sha256, name } = taken;
    let acrossDevices = false;
    const linked = await claimFreeName(target, this.names, this.index.moves, id, async (file) => {
      try {
        await fs.link(sourcePath, file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code !== 'EXDEV' && !NO_HARD_LINKS.has(code)) throw error;
        acrossDevices = true;
      }
    });
    if (acrossDevices) {
      return copyAcross({
        id,
        journal: this.index.moves,
        names: this.names,
        retry: this.retry,
        source: sourcePath,
        sourceStats: source,
        sha256,
        name,
        target,
      });
    }
    const [placed, after] = await Promise.all([
      fs.lstat(linked, { bigint: true }),
      fs.lstat(sourcePath, { bigint: true }),
    ]);
    if (fileKey(placed) !== fileKey(source) || after.nlink < 2n) {
      throw new ClipSortError(
        'move-unverified',
        `${name}: the new name does not lead to the file; not moved.`,
      );
    }
    if (!isSameVersion(source, after)) throw changing(name);
    await fsyncDir(target.folder);
    return linked;
  }

  /**
   * Removes the source once the file is safely at `placed`: only if nothing wrote to it since it was taken and no
   * program has it open for writing, and by identity (see removeByIdentity.ts), so that a newer version saved
   * under its name meanwhile is kept.
   */
  private async removeSource(id: number, taken: Source, placed: string): Promise<void> {
    const { path: sourcePath, stats: source, sha256, name } = taken;
    const [now, copy] = await Promise.all([statOrMissing(sourcePath), fs.lstat(placed, { bigint: true })]);
    if (now === undefined) return; // already gone: the file lives on at `placed`
    const isLink = fileKey(now) === fileKey(copy);
    // Our hard link changed the source's ctime; a copy leaves the source exactly as it was.
    if (isLink ? now.nlink < 2n || !isSameVersion(source, now) : !isQuietSince(source, now)) {
      throw stillCopying(name, 'it changed while it was being moved');
    }
    if (await isOpenForWriting(now)) throw stillCopying(name, 'a program has it open for writing');
    await removeByIdentity(sourcePath, {
      retry: this.retry,
      parking: (parked) => this.index.moves.setParked(id, `${path.posix.dirname(name)}/${parked}`),
      isExpected: async (parked, stats) => {
        if (isLink) return fileKey(stats) === fileKey(copy) && stats.nlink >= 2n;
        if (!isSameVersion(source, stats)) return false;
        return (await hashUnchanged(parked, stats, name).catch(() => undefined)) === sha256;
      },
    });
  }

  /** After a failure, puts the move back (or finishes it, when the file had already arrived) and reports. */
  private async settleFailure(
    id: number,
    error: unknown,
    from: string,
    toFolder: string,
    folders: Required<HeldPaths>,
  ): Promise<MoveResult> {
    const journal = this.index.moves;
    const row = journal.get(id)!;
    const reason = (await explainMoveError(this.root, error, from, toFolder, '')).message.trim();
    let outcome;
    try {
      outcome = (
        await settleMove(this.root, journal, row, {
          prefer: 'roll-back',
          failState: 'failed',
          reason,
          names: this.names,
          retry: this.retry,
          folders,
        })
      ).outcome;
    } catch {
      outcome = 'left';
    }
    this.names.forget(folders.destination);
    if (outcome === 'done') return { id, from, to: journal.get(id)!.destination };
    const where =
      outcome === 'left'
        ? 'It will be finished or put back when ClipSort next starts.'
        : `${from} was left where it is.`;
    throw await explainMoveError(this.root, error, from, toFolder, where);
  }
}

/** Moves one file with a mover of its own; for single moves (an assignment). See `FileMover.move`. */
export async function moveFile(
  root: string,
  index: LibraryIndex,
  request: MoveRequest,
  options: FileMoverOptions = {},
): Promise<MoveResult> {
  return new FileMover(root, index, options).move(request);
}
