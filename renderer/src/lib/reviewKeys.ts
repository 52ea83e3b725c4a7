/** The Review view's keyboard: which key does what to the current image. */

/** What a key asks for. */
export type ReviewAction =
  /** File the current image under one of its three best classes (0 = best). */
  | { kind: 'pick'; rank: number }
  /** File it under the class chosen in its list (the best class unless another was picked). */
  | { kind: 'file' }
  /** Keep it as a reference image of the chosen class. */
  | { kind: 'reference' }
  /** Keep the image this page filed last against sorting's suggestion as a reference of its class. */
  | { kind: 'adopt' }
  /** Make another image current: one step, or to the first or last. */
  | { kind: 'move'; to: 'previous' | 'next' | 'first' | 'last' }
  /** Open the current image's class list to pick another class. */
  | { kind: 'choose' }
  /** Put back the image this page filed last. */
  | { kind: 'undo' }
  /** Show the current image's preview at twice its fitted size, or fitted again. */
  | { kind: 'zoom' };

/** The parts of a key event that decide the action. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

const MOVES: Record<string, 'previous' | 'next' | 'first' | 'last'> = {
  ArrowUp: 'previous',
  ArrowLeft: 'previous',
  k: 'previous',
  ArrowDown: 'next',
  ArrowRight: 'next',
  j: 'next',
  Home: 'first',
  End: 'last',
};

/**
 * The action for a key press, or undefined for keys the view leaves alone (with Ctrl, Cmd or Alt held, so that
 * the browser's and the system's shortcuts keep working; Ctrl+Z and Cmd+Z alone are taken, to undo as anywhere).
 */
export function reviewAction(press: KeyPress): ReviewAction | undefined {
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.ctrlKey || press.metaKey || press.altKey) {
    return key === 'z' && !press.altKey && !press.shiftKey ? { kind: 'undo' } : undefined;
  }
  if (key === 'u') return { kind: 'undo' };
  if (key === 'z') return { kind: 'zoom' };
  if (key === '1' || key === '2' || key === '3') return { kind: 'pick', rank: Number(key) - 1 };
  if (key === 'Enter') return { kind: 'file' };
  if (key === 'r') return { kind: 'reference' };
  if (key === 'a') return { kind: 'adopt' };
  if (key === 'o') return { kind: 'choose' };
  const to = MOVES[key];
  return to ? { kind: 'move', to } : undefined;
}

/** The index `to` leads to from `index` in a list of `length` items (clamped; -1 for an empty list). */
export function moveIndex(index: number, length: number, to: 'previous' | 'next' | 'first' | 'last'): number {
  if (length === 0) return -1;
  const target = to === 'first' ? 0 : to === 'last' ? length - 1 : to === 'next' ? index + 1 : index - 1;
  return Math.min(length - 1, Math.max(0, target));
}

/** Why a key did nothing, for the view to say so. */
export type IdleReason = 'nothingLeft' | 'noSuggestion' | 'nothingToUndo' | 'nothingCorrected' | 'busy';

/** What the view knows when a key comes. */
export interface ReviewMoment {
  /** How many images wait. */
  waiting: number;
  /** How many best classes the current image has. */
  suggestions: number;
  /** Whether this page filed an image it can still put back. */
  undoable: boolean;
  /** Whether the image this page filed last went against sorting's suggestion (and may become a reference). */
  corrected: boolean;
  /** Whether a filing or a sort again is under way (moving between images still works). */
  busy: boolean;
}

/** Why `action` can do nothing at `moment`, or undefined when it can. */
export function idleReason(action: ReviewAction, moment: ReviewMoment): IdleReason | undefined {
  if (action.kind === 'undo') {
    if (!moment.undoable) return 'nothingToUndo';
    return moment.busy ? 'busy' : undefined;
  }
  if (action.kind === 'adopt') {
    if (!moment.corrected) return 'nothingCorrected';
    return moment.busy ? 'busy' : undefined;
  }
  if (moment.waiting === 0) return 'nothingLeft';
  if (moment.busy && action.kind !== 'move' && action.kind !== 'zoom') return 'busy';
  if (action.kind === 'pick' && action.rank >= moment.suggestions) return 'noSuggestion';
  return undefined;
}
