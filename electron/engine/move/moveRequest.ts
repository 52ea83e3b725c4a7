/** What a move asks for and what it did, and the checks on the paths and names it is given. */
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { librarySegments } from '../library/safePaths.js';
import type { MoveKind } from '../store/moveJournal.js';

/** One file to move, with the files that go with it. Paths are library-relative with forward slashes. */
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
  /**
   * Files in the same folder that move with this one, all or none, under names numbered alike. Unless set, a sort
   * or an assignment takes the members of the file's group (see fileGroups.ts); an undo names them.
   */
  companions?: readonly Companion[];
}

/** A file moving with another one; see `MoveRequest` for the fields. */
export type Companion = Pick<MoveRequest, 'from' | 'name' | 'expectSha256' | 'undoes'>;

/** Where the file went. `id` is the journal row; `null` (with `to` equal to `from`) when it was already there. */
export interface MoveResult {
  id: number | null;
  from: string;
  to: string;
  /** Where the files that moved with it went. */
  companions: MoveResult[];
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

/** The name `request` wants, refused unless it is one plain file name. */
export function wantedName(request: Companion, from: string): string {
  const wanted = request.name ?? path.posix.basename(from);
  if (librarySegments(wanted)?.length !== 1 || wanted.includes('/')) {
    throw new ClipSortError(
      'bad-name',
      `${JSON.stringify(wanted)} is not a file name; ${from} was not moved.`,
    );
  }
  return wanted;
}
