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
import { memberParts } from '../library/fileGroups.js';
import { fsyncDir } from '../fs/durable.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { claimFreeName, targetRelative, type MoveTarget } from './claimName.js';
import { NO_HARD_LINKS, copyAcross } from './crossDevice.js';
import { changing, fileKey, hashUnchanged, isSameVersion, mtimeMsOf, statOrMissing } from './fileState.js';
import { FolderNames } from './folderNames.js';
import { FolderGroups } from './folderGroups.js';
import { freeGroupNames, freeName } from './freeName.js';
import { explainMoveError } from './moveErrors.js';
import { holdFolder, isStillAt, type HeldFolder } from './heldFolder.js';
import { newBatchId } from '../store/moveJournal.js';
import {
  relativePath,
  wantedName,
  type Companion,
  type MoveRequest,
  type MoveResult,
} from './moveRequest.js';
import { DEFAULT_BUSY_RETRY, type BusyRetry } from './patientUnlink.js';
import { isQuietSince, quietMsFromEnvironment, stillCopying, waitUntilQuiet } from './quietFile.js';
import { InTurn } from './inTurn.js';
import { isOpenForWriting } from './openWriters.js';
import { settleMove, type HeldPaths } from './recoverMoves.js';
import { removeByIdentity } from './removeByIdentity.js';

/** A file being moved: its folder (held), its path through it, its state when taken, its library path. */
interface Source {
  folder: HeldFolder;
  path: string;
  stats: BigIntStats;
  name: string;
  sha256: string;
}

/** A file of a group being moved, with what it asked for. */
interface Member extends Source {
  request: Companion;
}

export interface FileMoverOptions {
  /** Retries when a file is locked by another program (Windows); five tries over about 1.5 s unless set. */
  retry?: BusyRetry;
  /** How long a file must have been left alone before it is taken (see quietFile.ts); `CLIPSORT_QUIET_MS` or 5 s. */
  quietMs?: number;
}

/** Times a group chooses its names again when one of them is taken under it. */
const GROUP_CLAIMS = 5;

/**
 * Moves files within one library, keeping the names it has seen in destination folders between moves. Use one
 * mover per library at a time, after `recoverMoves` has run.
 */
export class FileMover {
  private readonly names = new FolderNames();
  private readonly groups = new FolderGroups();
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

  /**
   * Moves one file and its companions; see `MoveRequest`. Throws a ClipSortError, with every file left where it
   * was, when it cannot.
   */
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

  /** The files that would move with `file` (its group, see fileGroups.ts), as library paths; for a dry run. */
  async companionsOf(file: string): Promise<string[]> {
    const from = relativePath(file);
    const folder = path.posix.dirname(from);
    const names = await this.groups
      .companionsOf(path.join(this.root, folder), path.posix.basename(from))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
    return names.map((name) => path.posix.join(folder, name));
  }

  private async moveFrom(
    sourceFolder: HeldFolder,
    from: string,
    toFolder: string,
    request: MoveRequest,
  ): Promise<MoveResult> {
    const members = await this.takeGroup(sourceFolder, from, request);
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
      if (folder.key === sourceFolder.key) return { id: null, from, to: from, companions: [] };
      for (const member of members) {
        try {
          member.sha256 = await hashUnchanged(member.path, member.stats, member.name);
        } catch (error) {
          throw await explainMoveError(
            this.root,
            error,
            member.name,
            toFolder,
            `${from} was left where it is.`,
          );
        }
        const expected = member.request.expectSha256;
        if (expected !== undefined && expected !== member.sha256) {
          throw new ClipSortError(
            'file-changed',
            `${member.name} has changed since it was last looked at; ${from} was left where it is.`,
          );
        }
      }
      // One name is chosen and claimed at a time per folder: two moves choosing from one listing could otherwise
      // both take `café.jpg`, spelled NFC by one and NFD by the other, which Linux keeps as two names.
      return await this.claims.run(folder.key, () => this.moveInto(folder, members, request));
    } finally {
      await folder.close();
    }
  }

  /**
   * The file and the companions that move with it, each a regular file left alone for the quiet period. A
   * companion found beside it that is not a regular file (a link) stays.
   */
  private async takeGroup(sourceFolder: HeldFolder, from: string, request: MoveRequest): Promise<Member[]> {
    const found = request.companions === undefined && request.kind !== 'undo';
    const companions = found
      ? (await this.groups.companionsOf(sourceFolder.path, path.posix.basename(from))).map((name) => ({
          from: path.posix.join(path.posix.dirname(from), name),
        }))
      : (request.companions ?? []);
    const members: Member[] = [];
    for (const [i, wanted] of [request, ...companions].entries()) {
      const name = relativePath(wanted.from);
      if (path.posix.dirname(name) !== path.posix.dirname(from)) {
        throw new ClipSortError('bad-name', `${name} is not in the folder of ${from}; neither was moved.`);
      }
      const file = path.join(sourceFolder.path, path.posix.basename(name));
      const stats = await statOrMissing(file);
      if (found && i > 0 && !stats?.isFile()) continue;
      if (!stats) throw new ClipSortError('file-missing', `${name} is not there any more.`);
      if (!stats.isFile()) {
        throw new ClipSortError(
          'not-a-file',
          `${name} is not a regular file (a link, folder or device); not moved.`,
        );
      }
      const quiet = await waitUntilQuiet(file, stats, name, request.settled ? 0 : this.quietMs);
      members.push({ folder: sourceFolder, path: file, stats: quiet, name, sha256: '', request: wanted });
    }
    return members;
  }

  /**
   * Moves the group into `folder`: every file is planned, then placed, then its source removed, so that a failure
   * (or a crash, see recoverMoves.ts) before the first removal puts every file back and one after it finishes
   * every move.
   */
  private async moveInto(
    folder: HeldFolder,
    members: readonly Member[],
    request: MoveRequest,
    claims = 1,
  ): Promise<MoveResult> {
    const from = members[0]!.name;
    const sourceFolder = members[0]!.folder;
    const wanted = members.map((member) => wantedName(member.request, member.name));
    const taken = await this.names.taken(folder.path);
    const chosen =
      members.length === 1 ? [freeName(wanted[0]!, taken)] : freeGroupNames(wanted.map(memberParts), taken);
    const targets: MoveTarget[] = members.map((_, i) => ({
      folder: folder.path,
      folderRelative: folder.relative,
      wanted: wanted[i]!,
      name: chosen[i]!,
      fixed: members.length > 1,
    }));
    const group = members.length > 1 ? newBatchId() : null;
    const journal = this.index.moves;
    const ids = journal.planAll(
      members.map(({ name, sha256, stats, request: wanted }, i) => ({
        batch: request.batch,
        kind: request.kind,
        source: name,
        destination: targetRelative(targets[i]!),
        sha256,
        size: Number(stats.size),
        mtimeMs: mtimeMsOf(stats),
        sourceFile: fileKey(stats),
        undoes: wanted.undoes ?? null,
        group,
      })),
    );
    let removed = 0;
    let sourceVersion: string;
    try {
      const placed: string[] = [];
      for (const [i, member] of members.entries())
        placed.push(await this.place(ids[i]!, member, targets[i]!));
      await this.ensureStillAt(sourceFolder, folder, from);
      for (const [i, member] of members.entries()) await this.removable(member, placed[i]!);
      sourceVersion = await this.groups.versionOf(sourceFolder.path);
      for (const [i, member] of members.entries()) {
        await this.removeSource(ids[i]!, member, placed[i]!);
        removed++;
        journal.finish(ids[i]!);
      }
    } catch (error) {
      const folders = { source: sourceFolder.path, destination: folder.path };
      const retry = error instanceof ClipSortError && error.code === 'name-taken' && claims < GROUP_CLAIMS;
      const settled = await this.settleFailure(
        ids,
        error,
        from,
        folders,
        removed > 0 ? 'finish' : 'roll-back',
        retry,
      );
      return settled ?? this.moveInto(folder, members, request, claims + 1);
    }
    for (const target of targets) await this.names.added(folder.path, target.name);
    this.names.forget(sourceFolder.path);
    await this.groups.removed(
      sourceFolder.path,
      members.map((member) => path.posix.basename(member.name)),
      sourceVersion,
    );
    const results = members.map((member, i) => ({
      id: ids[i]!,
      from: member.name,
      to: targetRelative(targets[i]!),
      companions: [],
    }));
    return { ...results[0]!, companions: results.slice(1) };
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
   * Refuses to remove the source unless nothing wrote to it since it was taken and no program has it open for
   * writing. Resolves to whether `placed` is a second name of it (a hard link) rather than a copy.
   */
  private async removable(
    taken: Source,
    placed: string,
  ): Promise<{ isLink: boolean; copy: BigIntStats } | undefined> {
    const { path: sourcePath, stats: source, name } = taken;
    const [now, copy] = await Promise.all([statOrMissing(sourcePath), fs.lstat(placed, { bigint: true })]);
    if (now === undefined) return undefined; // already gone: the file lives on at `placed`
    const isLink = fileKey(now) === fileKey(copy);
    // Our hard link changed the source's ctime; a copy leaves the source exactly as it was.
    if (isLink ? now.nlink < 2n || !isSameVersion(source, now) : !isQuietSince(source, now)) {
      throw stillCopying(name, 'it changed while it was being moved');
    }
    if (await isOpenForWriting(now)) throw stillCopying(name, 'a program has it open for writing');
    return { isLink, copy };
  }

  /**
   * Removes the source once the file is safely at `placed` (see `removable`), by identity (see
   * removeByIdentity.ts), so that a newer version saved under its name meanwhile is kept.
   */
  private async removeSource(id: number, taken: Source, placed: string): Promise<void> {
    const { path: sourcePath, stats: source, sha256, name } = taken;
    const state = await this.removable(taken, placed);
    if (!state) return;
    const { isLink, copy } = state;
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

  /**
   * After a failure, brings every move of the group to one side: put back (`roll-back`, before any source was
   * removed) or finished (`finish`, after). Resolves to where the files went when they all arrived after all,
   * to undefined when they were all put back for the group to `retry`; throws the explained error otherwise.
   */
  private async settleFailure(
    ids: readonly number[],
    error: unknown,
    from: string,
    folders: Required<HeldPaths>,
    prefer: 'finish' | 'roll-back',
    retry: boolean,
  ): Promise<MoveResult | undefined> {
    const journal = this.index.moves;
    const toFolder = path.posix.dirname(journal.get(ids[0]!)!.destination);
    const reason = (await explainMoveError(this.root, error, from, toFolder, '')).message.trim();
    const outcomes: string[] = [];
    for (const id of ids) {
      const row = journal.get(id)!;
      if (row.state !== 'planned') {
        outcomes.push(row.state === 'done' ? 'done' : 'put-back');
        continue;
      }
      const options = {
        prefer,
        failState: 'failed' as const,
        reason,
        names: this.names,
        retry: this.retry,
        folders,
      };
      outcomes.push(
        await settleMove(this.root, journal, row, options).then(
          (settled) => settled.outcome,
          () => 'left',
        ),
      );
    }
    this.names.forget(folders.destination);
    this.names.forget(folders.source);
    this.groups.forget(folders.source);
    if (outcomes.every((outcome) => outcome === 'done')) {
      const results = ids.map((id) => {
        const row = journal.get(id)!;
        return { id, from: row.source, to: row.destination, companions: [] };
      });
      return { ...results[0]!, companions: results.slice(1) };
    }
    if (retry && outcomes.every((outcome) => outcome === 'put-back')) return undefined;
    const where = outcomes.includes('left')
      ? 'It will be finished or put back when ClipSort next starts.'
      : outcomes.includes('done')
        ? `Some of the files that go with ${from} were moved and others not; see the history.`
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
