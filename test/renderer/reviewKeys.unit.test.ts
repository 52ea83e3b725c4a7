import { describe, expect, it } from 'vitest';
import { moveIndex, reviewAction } from '../../renderer/src/lib/reviewKeys.js';

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
  });

  it('leaves other keys, and any key with Ctrl, Cmd or Alt, to the browser', () => {
    for (const key of ['4', '0', 'a', 'Tab', 'Escape', ' ', 'F5'])
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
});
