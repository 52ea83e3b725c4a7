import './runes.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from '../../renderer/src/lib/engineState.svelte.js';
import { Search } from '../../renderer/src/lib/search.svelte.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';
import { fakeEngine, settle } from './fakeEngine.js';

/** A state that reads the classes' names, again on every `classes` event and a moment after `sorting` ones. */
class ClassNames extends EngineState {
  names: string[] = [];

  protected override async read() {
    this.names = (await this.client.invoke('classes.list')).classes.map((c) => c.name);
  }

  protected override follow(): Unsubscribe[] {
    return [
      this.client.on('classes', () => void this.refresh()),
      this.client.on('sorting', () => this.refreshSoon(100)),
    ];
  }

  /** Creates a class, as a person's action. */
  create(name: string) {
    return this.act(() => this.client.invoke('classes.create', { name }));
  }
}

const listing = (...names: string[]) => ({ classes: names.map((name) => ({ name })) });

afterEach(() => {
  vi.useRealTimers();
});

describe('the state of an engine-backed view', () => {
  it('reads the state when listened to, and follows its events until disposed', async () => {
    let names = ['red'];
    const engine = fakeEngine({ 'classes.list': () => listing(...names) });
    const state = new ClassNames(engine.client);
    const dispose = state.listen();
    expect(engine.subscriptions).toBe(2);
    await settle();
    expect(state.names).toEqual(['red']);

    names = ['red', 'blue'];
    engine.push('classes', { names });
    await settle();
    expect(state.names).toEqual(['red', 'blue']);

    dispose();
    expect(engine.subscriptions).toBe(0);
    engine.push('classes', { names: [] });
    await settle();
    expect(engine.count('classes.list')).toBe(2);
  });

  it('drops a read held back for a burst of events when disposed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const engine = fakeEngine({ 'classes.list': () => listing('red') });
    const state = new ClassNames(engine.client);
    const dispose = state.listen();
    await settle();
    engine.push('sorting', { sorting: true });
    engine.push('sorting', { sorting: false });
    dispose();
    await vi.advanceTimersByTimeAsync(500);
    expect(engine.count('classes.list')).toBe(1);
  });

  it('reads once per burst of events while listened to', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const engine = fakeEngine({ 'classes.list': () => listing('red') });
    const dispose = new ClassNames(engine.client).listen();
    await settle();
    engine.push('sorting', { sorting: true });
    engine.push('sorting', { sorting: false });
    await vi.advanceTimersByTimeAsync(500);
    expect(engine.count('classes.list')).toBe(2);
    dispose();
  });

  it('disposes of each listening on its own, so that a view mounted before the last one unmounts keeps its', () => {
    const engine = fakeEngine({ 'classes.list': () => listing() });
    const state = new ClassNames(engine.client);
    const first = state.listen();
    const second = state.listen();
    expect(engine.subscriptions).toBe(4);
    first();
    expect(engine.subscriptions).toBe(2);
    second();
    expect(engine.subscriptions).toBe(0);
  });

  it('keeps a failed read in error until a read works', async () => {
    let failing = true;
    const engine = fakeEngine({
      'classes.list': () => {
        if (failing) throw new ApiError({ code: 'library-missing', message: 'No library is open.' });
        return listing('red');
      },
    });
    const state = new ClassNames(engine.client);
    await state.refresh();
    expect(state.error).toEqual({ code: 'library-missing', message: 'No library is open.' });
    failing = false;
    await state.refresh();
    expect(state.error).toBeUndefined();
    expect(state.names).toEqual(['red']);
  });

  it("keeps an action's failure past the read after it, and is busy only while the action runs", async () => {
    const engine = fakeEngine({
      'classes.list': () => listing('red'),
      'classes.create': () => {
        throw new ApiError({ code: 'class-exists', message: 'red exists.' });
      },
    });
    const state = new ClassNames(engine.client);
    const creating = state.create('red');
    expect(state.busy).toBe(true);
    await creating;
    expect(state.busy).toBe(false);
    expect(engine.count('classes.list')).toBe(1);
    expect(state.error?.code).toBe('class-exists');
  });

  it('drops an answer overtaken by a newer request, a failure included', async () => {
    const pending: { resolve: (results: unknown) => void; reject: (error: Error) => void }[] = [];
    const engine = fakeEngine({
      'search.text': () => new Promise((resolve, reject) => pending.push({ resolve, reject })),
    });
    const search = new Search(engine.client, createStateBus());
    const first = search.search('red');
    const second = search.search('blue');
    await settle();
    pending[1]?.resolve({ results: [{ file: 'Images/blue.jpg', score: 0.3 }], cut: 0 });
    await second;
    expect(search.searching).toBe(false);
    pending[0]?.reject(new ApiError({ code: 'model-missing', message: 'No model.' }));
    await first;
    expect(search.error).toBeUndefined();
    expect(search.searched).toBe('blue');
    expect(search.results).toEqual([{ file: 'Images/blue.jpg', score: 0.3 }]);
  });
});
