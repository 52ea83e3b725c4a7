import path from 'node:path';
import { ClipSortError } from '../errors.js';
import type { FolderNames } from './folderNames.js';
import { freeName, nameKey } from './freeName.js';
import type { MoveJournal } from '../store/moveJournal.js';

/** The folder a file is moving into, the name it would like there, and the name currently claimed. */
export interface MoveTarget {
  /** Absolute path of the folder. */
  folder: string;
  /** The folder as a library-relative path. */
  folderRelative: string;
  wanted: string;
  name: string;
  /**
   * The name is one of a group's, numbered with the others (see `freeGroupNames`): when it is taken, claiming
   * fails with `name-taken` rather than choose another, and the group chooses again.
   */
  fixed?: boolean;
}

/** The library-relative path of the target's current name. */
export function targetRelative(target: MoveTarget): string {
  return `${target.folderRelative}/${target.name}`;
}

/** Attempts before giving up on a folder whose names keep being taken under us. */
const MAX_CLAIMS = 1000;

/**
 * Runs `place(file)` (a hard link, an exclusive create: anything that fails with EEXIST rather than replace a file)
 * on the target's name; whenever the name turns out to be taken, chooses the next free one and records it in the
 * journal before trying it. Resolves to the absolute path that was placed.
 */
export async function claimFreeName(
  target: MoveTarget,
  names: FolderNames,
  journal: MoveJournal,
  id: number,
  place: (file: string) => Promise<void>,
): Promise<string> {
  return claimName(target, names, place, () => journal.setDestination(id, targetRelative(target)));
}

/**
 * `claimFreeName` without a journal: `renamed` is told each time the target's name changes, before the new name
 * is tried.
 */
export async function claimName(
  target: MoveTarget,
  names: FolderNames,
  place: (file: string) => Promise<void>,
  renamed: () => void = () => undefined,
): Promise<string> {
  for (let attempt = 0; attempt < MAX_CLAIMS; attempt++) {
    const file = path.join(target.folder, target.name);
    try {
      await place(file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      names.forget(target.folder);
      if (target.fixed) {
        throw new ClipSortError(
          'name-taken',
          `${target.name} was taken in ${target.folderRelative} meanwhile.`,
        );
      }
      const taken = new Set(await names.taken(target.folder)).add(nameKey(target.name));
      target.name = freeName(target.wanted, taken);
      renamed();
    }
  }
  throw new ClipSortError(
    'name-unavailable',
    `No free name for ${target.wanted} could be claimed in ${target.folderRelative}.`,
  );
}
