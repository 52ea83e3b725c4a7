/** The recent moves as the Activity view lists them: grouped by run, each with where its image is now. */
import type { CommandResult } from '../../../electron/api/contract/index.js';

export type Move = CommandResult<'moves.recent'>['moves'][number];

/** A move with what the view needs to show and undo it. */
export interface ShownMove extends Move {
  /** Where the image is now as far as the recent moves tell (to show its thumbnail), or null if it moved on. */
  current: string | null;
  /** Whether undo can still put this one image back. */
  undoable: boolean;
  /** The files that moved with this photo (its RAW, video, sidecars), where the journal last put each. */
  companions: string[];
}

/** The moves of one run (one batch), newest first: what one batch undo takes back. */
export interface Run {
  batch: string;
  kind: Move['kind'];
  /** Where a person asked for it (the map, a search, a cluster), or null. */
  origin: Move['origin'];
  moves: ShownMove[];
  /** Whether anything in it can still be undone. */
  undoable: boolean;
}

/** Whether undo can put a move's image back: it was done, and is not itself an undo. */
export const isUndoable = (move: Move) => move.state === 'done' && move.kind !== 'undo';

/**
 * Groups `moves` (newest first, as `moves.recent` answers) into runs, and works out where each image is now: a
 * done move left it at its destination, a failed, rolled-back or undone one at its source, unless a newer move
 * took it from there; a move in progress shows none (asking for a file that is gone only shows a broken image).
 * A file that moved with a photo is listed under the photo's move, not as a move of its own; one whose photo's
 * move is older than the list is left out with it.
 */
export function groupRuns(moves: readonly Move[]): Run[] {
  const runs = new Map<string, Run>();
  /** Paths a newer done move took an image away from. */
  const leftSince = new Set<string>();
  /** The files that went with a photo, by the id of the photo's move (planned after it, so listed before it). */
  const along = new Map<number, string[]>();
  for (const move of moves) {
    const at = move.state === 'done' ? move.destination : move.source;
    // A move still in progress has no settled place to show.
    const current = move.state === 'planned' || leftSince.has(at) ? null : at;
    if (move.state === 'done') leftSince.add(move.source);
    if (move.companionOf !== null) {
      along.set(move.companionOf, [at, ...(along.get(move.companionOf) ?? [])]);
      continue;
    }
    const companions = along.get(move.id) ?? [];
    const shown: ShownMove = { ...move, current, undoable: isUndoable(move), companions };
    let run = runs.get(move.batch);
    if (!run)
      runs.set(
        move.batch,
        (run = { batch: move.batch, kind: move.kind, origin: move.origin, moves: [], undoable: false }),
      );
    run.moves.push(shown);
    if (shown.undoable) run.undoable = true;
  }
  return [...runs.values()];
}

/** The message key that names a run: how it was made (a sort, the map, a search, a cluster, the review, an undo). */
export function runLabel(
  run: Pick<Run, 'kind' | 'origin'>,
): `run.${Move['kind'] | NonNullable<Move['origin']>}` {
  return run.origin ? `run.${run.origin}` : `run.${run.kind}`;
}

/** The moves that filed a photo (not undos, not the files that went with it), newest first: what happened before the page opened. */
export function filedEarlier(moves: readonly Move[], limit: number): Move[] {
  return moves
    .filter((move) => move.state === 'done' && move.kind !== 'undo' && move.companionOf === null)
    .slice(0, limit);
}
