/**
 * Filing images a person chose (a map selection, a cluster): copying them into a class as reference images, or
 * moving them into a class. Moves go through the move journal in one batch, so one `moves.undo` takes them all
 * back; copies never replace a file (see `FileCopier`). A move takes reference images out of `Classes/` only when
 * asked to. Every file that is not filed is reported with the reason.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { MoveOrigin } from '../../engine/choices.js';
import { ClipSortError, errorMessage } from '../../engine/errors.js';
import { isImageName, listImageFiles } from '../../engine/library/imageFiles.js';
import { resolveLibraryPath } from '../../engine/library/libraryPaths.js';
import { resolveInsideLibrary } from '../../engine/library/safePaths.js';
import { FileCopier } from '../../engine/move/copyFile.js';
import { hashFile } from '../../engine/move/fileState.js';
import { FileMover } from '../../engine/move/fileMover.js';
import { relativePath, type MoveRequest } from '../../engine/move/moveRequest.js';
import { nameKey } from '../../engine/move/freeName.js';
import { labelAssignment } from '../../engine/sorting/moveLabels.js';
import { newBatchId } from '../../engine/store/moveJournal.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';
import { datasetFolder, ensureClassFolder } from './classFolders.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** The folders chosen images may come from. */
const IMAGE_FOLDERS = new Set(['Images', 'Classes', 'Dataset']);

interface Outcome {
  done: { from: string; to: string }[];
  skipped: { file: string; reason: string }[];
}

/** A folder path compared as the filesystems that ignore case and Unicode form compare it. */
const folderKey = (folder: string) => folder.split('/').map(nameKey).join('/');

/**
 * Why a file was not filed, from the error that stopped it: the engine's own message, or the filesystem's code for
 * a file that could not be read (a link, a permission). Anything else is a fault and is thrown.
 */
function reasonFor(error: unknown, file: string): string {
  if (error instanceof ClipSortError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return `${file} is a symbolic link, not a file; it was left where it is.`;
  if (typeof code === 'string') return `${file} could not be read (${code}); it was left where it is.`;
  throw error;
}

/** Why `file` cannot be filed at all, or undefined when it can; `references`: whether `Classes/` images may be. */
function refusal(file: string, references: boolean): string | undefined {
  const [top, className] = file.split('/');
  if (!IMAGE_FOLDERS.has(top ?? '')) return 'only images in Images/, Classes/ and Dataset/ can be filed.';
  if (!isImageName(path.posix.basename(file))) return 'this is not an image file.';
  if (top === 'Classes' && !references) {
    return `a reference image of ${className} stays with its class unless reference images are moved too.`;
  }
  return undefined;
}

/** The chosen files in canonical form, once each, with those that cannot be filed set aside as skipped. */
function select(
  files: readonly string[],
  outcome: Outcome,
  { references }: { references: boolean },
): string[] {
  const chosen = new Set<string>();
  for (const file of files) {
    let relative: string;
    try {
      relative = relativePath(file);
    } catch (error) {
      outcome.skipped.push({ file, reason: errorMessage(error) });
      continue;
    }
    const refused = refusal(relative, references);
    if (refused) outcome.skipped.push({ file: relative, reason: `${relative}: ${refused}` });
    else chosen.add(relative);
  }
  return [...chosen];
}

/** The sha256 of every image in a library folder (none when it does not exist). */
async function contentOf(root: string, folder: string): Promise<Set<string>> {
  const absolute = resolveLibraryPath(root, folder);
  const exists = await stat(absolute).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const hashes = new Set<string>();
  for (const file of exists ? await listImageFiles(root, absolute) : []) {
    const found = await hashFile(resolveLibraryPath(root, file)).catch(() => undefined);
    if (found) hashes.add(found.sha256);
  }
  return hashes;
}

/**
 * Moves each file into `toFolder` in one journal batch, recorded as made from `origin` and labelled with the
 * folder's class; resolves to the batch, or null when nothing moved. A file already in that folder, or one the
 * mover refuses (changed, vanished, outside the library), is skipped.
 */
async function moveAll(
  root: string,
  index: LibraryIndex,
  files: readonly string[],
  toFolder: string,
  outcome: Outcome,
  origin: MoveOrigin,
): Promise<string | null> {
  const mover = new FileMover(root, index);
  const batch = newBatchId();
  index.moves.setOrigin(batch, origin);
  for (const from of files) {
    if (folderKey(path.posix.dirname(from)) === folderKey(toFolder)) {
      outcome.skipped.push({ file: from, reason: `${from} is already in ${toFolder}; nothing was moved.` });
      continue;
    }
    const request: MoveRequest = { from, toFolder, kind: 'assign', batch };
    try {
      const waiting = index.review.get(from);
      const moved = await mover.move(request);
      if (moved.id !== null) labelAssignment(index, moved.id, path.posix.basename(toFolder), waiting);
      if (moved.id === null) {
        outcome.skipped.push({ file: from, reason: `${from} is already in ${toFolder}; nothing was moved.` });
      } else {
        outcome.done.push({ from: moved.from, to: moved.to });
      }
    } catch (error) {
      outcome.skipped.push({ file: from, reason: reasonFor(error, from) });
    }
  }
  return outcome.done.length > 0 ? batch : null;
}

/** Copies each file into the class folder as a reference image, unless the class already has that image. */
async function copyAll(
  root: string,
  files: readonly string[],
  folder: string,
  outcome: Outcome,
): Promise<void> {
  const copier = new FileCopier(root);
  const present = await contentOf(root, folder);
  const className = path.posix.basename(folder);
  for (const from of files) {
    if (folderKey(path.posix.dirname(from)) === folderKey(folder)) {
      outcome.skipped.push({ file: from, reason: `${from} is already a reference image of ${className}.` });
      continue;
    }
    try {
      const source = await hashFile(await resolveInsideLibrary(root, from));
      if (!source) throw new ClipSortError('file-missing', `${from} is not there any more.`);
      if (present.has(source.sha256)) {
        outcome.skipped.push({
          file: from,
          reason: `${from}: the same image is already a reference image of ${className}.`,
        });
        continue;
      }
      const copied = await copier.copy({ from, toFolder: folder });
      present.add(copied.sha256);
      outcome.done.push({ from: copied.from, to: copied.to });
    } catch (error) {
      outcome.skipped.push({ file: from, reason: reasonFor(error, from) });
    }
  }
}

export const fileHandlers: HandlersFor<
  'classes.fromFiles' | 'files.move',
  Pick<HandlerContext, 'library'>
> = {
  async 'classes.fromFiles'({ name, files, move, references }, context) {
    const { root, index } = context.library().forMoving();
    const outcome: Outcome = { done: [], skipped: [] };
    const chosen = select(files, outcome, { references: !move || references === true });
    const target = await ensureClassFolder(root, name);
    let batch: string | null = null;
    if (move) batch = await moveAll(root, index, chosen, target.folder, outcome, 'group');
    else await copyAll(root, chosen, target.folder, outcome);
    return { ...target, ...outcome, batch };
  },

  async 'files.move'({ files, class: name, references, via }, context) {
    const { root, index } = context.library().forMoving();
    const outcome: Outcome = { done: [], skipped: [] };
    const chosen = select(files, outcome, { references: references === true });
    const batch = await moveAll(root, index, chosen, await datasetFolder(root, name), outcome, via ?? 'map');
    return { ...outcome, batch };
  },
};
