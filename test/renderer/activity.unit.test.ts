import './runes.js';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { Activity } from '../../renderer/src/lib/activity.svelte.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';
import { fakeEngine, settle } from './fakeEngine.js';

const status = (): CommandResult<'library.status'> => ({
  library: { path: '/lib', name: 'lib' },
  inbox: 5,
  review: 0,
  videos: 0,
  classes: [
    { name: 'red', references: 2, sorted: 1 },
    { name: 'blue', references: 2, sorted: 0 },
  ],
  skippedClasses: [],
  skippedInbox: [],
  unsettledMoves: [],
  errors: [],
  sorting: true,
});

describe('the Activity numbers', () => {
  it('follow each sorted image at once, before the refresh that ends a burst', async () => {
    const engine = fakeEngine({ 'library.status': status, 'moves.recent': () => ({ moves: [] }) });
    const activity = new Activity(engine.client, createStateBus());
    const dispose = activity.listen();
    await settle();
    const reads = engine.count('library.status');
    engine.push('sorted', {
      file: 'Images/a.png',
      class: 'red',
      to: 'Dataset/red/a.png',
      score: 0.9,
      margin: 0.4,
      companions: [],
    });
    engine.push('sorted', {
      file: 'Images/b.png',
      class: 'blue',
      to: 'Dataset/blue/b.png',
      score: 0.8,
      margin: 0.3,
      companions: ['Dataset/blue/b.CR2'],
    });
    // No new read yet: the numbers moved by themselves.
    expect(engine.count('library.status')).toBe(reads);
    expect(activity.status?.inbox).toBe(3);
    expect(activity.status?.classes.map((c) => c.sorted)).toEqual([2, 1]);
    dispose();
  });
});
