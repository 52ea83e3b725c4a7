import { describe, expect, it } from 'vitest';
import { idleReason, moveIndex, reviewAction, type ReviewMoment } from '../../renderer/src/lib/reviewKeys.js';

describe('the Review keyboard', () => {
  it('maps each shortcut to its action', () => {
    expect(reviewAction({ key: '1' })).toEqual({ kind: 'pick', rank: 0 });
    expect(reviewAction({ key: '3' })).toEqual({ kind: 'pick', rank: 2 });
    expect(reviewAction({ key: 'Enter' })).toEqual({ kind: 'file' });
    expect(reviewAction({ key: 'r' })).toEqual({ kind: 'reference' });
    expect(reviewAction({ key: 'R' })).toEqual({ kind: 'reference' });
    expect(reviewAction({ key: 'o' })).toEqual({ kind: 'choose' });
    expect(reviewAction({ key: 'ArrowDown' })).toEqual({ kind: 'move', to: 'next' });
    expect(reviewAction({ key: 'j' })).toEqual({ kind: 'move', to: 'next' });
    expect(reviewAction({ key: 'ArrowUp' })).toEqual({ kind: 'move', to: 'previous' });
    expect(reviewAction({ key: 'Home' })).toEqual({ kind: 'move', to: 'first' });
    expect(reviewAction({ key: 'End' })).toEqual({ kind: 'move', to: 'last' });
    expect(reviewAction({ key: 'u' })).toEqual({ kind: 'undo' });
    expect(reviewAction({ key: 'z' })).toEqual({ kind: 'zoom' });
    expect(reviewAction({ key: 'A' })).toEqual({ kind: 'adopt' });
  });

  it('takes Ctrl+Z and Cmd+Z to undo, but not redo (with Shift) nor Alt+Z', () => {
    expect(reviewAction({ key: 'z', ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(reviewAction({ key: 'Z', metaKey: true })).toEqual({ kind: 'undo' });
    expect(reviewAction({ key: 'Z', ctrlKey: true, shiftKey: true })).toBeUndefined();
    expect(reviewAction({ key: 'z', altKey: true })).toBeUndefined();
  });

  it('leaves other keys, and any key with Ctrl, Cmd or Alt, to the browser', () => {
    for (const key of ['4', '0', 'b', 'Tab', 'Escape', ' ', 'F5'])
      expect(reviewAction({ key })).toBeUndefined();
    expect(reviewAction({ key: 'r', ctrlKey: true })).toBeUndefined();
    expect(reviewAction({ key: '1', metaKey: true })).toBeUndefined();
    expect(reviewAction({ key: 'ArrowDown', altKey: true })).toBeUndefined();
  });

  it('moves within the list without leaving it', () => {
    expect(moveIndex(0, 5, 'next')).toBe(1);
    expect(moveIndex(4, 5, 'next')).toBe(4);
    expect(moveIndex(0, 5, 'previous')).toBe(0);
    expect(moveIndex(3, 5, 'previous')).toBe(2);
    expect(moveIndex(3, 5, 'first')).toBe(0);
    expect(moveIndex(1, 5, 'last')).toBe(4);
    expect(moveIndex(7, 5, 'previous')).toBe(4);
    expect(moveIndex(0, 0, 'next')).toBe(-1);
  });

  describe('why a key does nothing', () => {
    const moment = (over: Partial<ReviewMoment> = {}): ReviewMoment => ({
      waiting: 3,
      suggestions: 3,
      undoable: true,
      corrected: true,
      busy: false,
      ...over,
    });

    it('lets every key act while images wait and nothing runs', () => {
      for (const key of ['1', '3', 'Enter', 'r', 'o', 'u', 'z', 'ArrowDown'])
        expect(idleReason(reviewAction({ key })!, moment()), key).toBeUndefined();
    });

    it('says nothing is left for every key but undo once the list is empty', () => {
      for (const key of ['1', 'Enter', 'r', 'o', 'z', 'ArrowDown', 'End'])
        expect(idleReason(reviewAction({ key })!, moment({ waiting: 0, suggestions: 0 })), key).toBe(
          'nothingLeft',
        );
      expect(idleReason({ kind: 'undo' }, moment({ waiting: 0 }))).toBeUndefined();
    });

    it('says a number key has no suggestion beyond the image’s best classes', () => {
      expect(idleReason({ kind: 'pick', rank: 1 }, moment({ suggestions: 1 }))).toBe('noSuggestion');
      expect(idleReason({ kind: 'pick', rank: 0 }, moment({ suggestions: 0 }))).toBe('noSuggestion');
      expect(idleReason({ kind: 'pick', rank: 0 }, moment({ suggestions: 1 }))).toBeUndefined();
    });

    it('says there is nothing to undo, and that filing waits while one runs (moving does not)', () => {
      expect(idleReason({ kind: 'undo' }, moment({ undoable: false }))).toBe('nothingToUndo');
      expect(idleReason({ kind: 'adopt' }, moment({ corrected: false }))).toBe('nothingCorrected');
      expect(idleReason({ kind: 'adopt' }, moment({ waiting: 0 }))).toBeUndefined();
      expect(idleReason({ kind: 'adopt' }, moment({ busy: true }))).toBe('busy');
      expect(idleReason({ kind: 'undo' }, moment({ busy: true }))).toBe('busy');
      expect(idleReason({ kind: 'file' }, moment({ busy: true }))).toBe('busy');
      expect(idleReason({ kind: 'move', to: 'next' }, moment({ busy: true }))).toBeUndefined();
      expect(idleReason({ kind: 'zoom' }, moment({ busy: true }))).toBeUndefined();
    });
  });
});
