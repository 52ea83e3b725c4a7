import './runes.js';
import { describe, expect, it } from 'vitest';
import { Search } from '../../renderer/src/lib/search.svelte.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';
import { fakeEngine } from './fakeEngine.js';

const hit = (file: string, score: number) => ({ file, score });

describe('text search state', () => {
  it('keeps how many the cut left out, and lists them all on asking', async () => {
    let answer = { results: [hit('Images/red.jpg', 0.3)], cut: 4, errors: [] };
    const search = new Search(fakeEngine({ 'search.text': () => answer }).client, createStateBus());
    await search.search('red');
    expect([search.cut, search.all]).toEqual([4, false]);
    answer = { results: [hit('Images/red.jpg', 0.3), hit('Images/blue.jpg', 0.1)], cut: 0, errors: [] };
    search.query = 'something else';
    await search.showAll();
    expect([search.cut, search.all, search.searched]).toEqual([0, true, 'red']);
    expect(search.results).toHaveLength(2);
  });

  it('moves a result into a class, follows it there, and tells the other states', async () => {
    const bus = createStateBus();
    let changed = 0;
    bus.on('library-changed', () => changed++);
    let moved: unknown = {
      done: [{ from: 'Images/red.jpg', to: 'Dataset/warm/red.jpg' }],
      skipped: [],
      batch: 'b1',
    };
    const engine = fakeEngine({
      'search.text': () => ({
        results: [hit('Images/red.jpg', 0.3), hit('Classes/red/ref.png', 0.2)],
        cut: 0,
      }),
      'files.move': () => moved,
    });
    const search = new Search(engine.client, bus);
    await search.search('red');
    await search.move('Images/red.jpg', 'warm');
    expect(search.results?.map((r) => r.file)).toEqual(['Dataset/warm/red.jpg', 'Classes/red/ref.png']);
    expect(search.moved).toEqual({
      file: 'Images/red.jpg',
      className: 'warm',
      to: 'Dataset/warm/red.jpg',
      batch: 'b1',
    });
    moved = {
      done: [],
      skipped: [{ file: 'Classes/red/ref.png', reason: 'a reference image' }],
      batch: null,
    };
    await search.move('Classes/red/ref.png', 'warm');
    expect(search.moved).toEqual({
      file: 'Classes/red/ref.png',
      className: 'warm',
      reason: 'a reference image',
    });
    expect(search.results?.[1]?.file).toBe('Classes/red/ref.png');
    expect([changed, search.busy]).toEqual([2, false]);
  });
});
