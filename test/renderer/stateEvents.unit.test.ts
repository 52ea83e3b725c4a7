import './runes.js';
import { describe, expect, it } from 'vitest';
import { Activity } from '../../renderer/src/lib/activity.svelte.js';
import { Classes } from '../../renderer/src/lib/classes.svelte.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';
import { fakeEngine, settle } from './fakeEngine.js';

const library = () =>
  fakeEngine({
    'library.status': () => ({ sorting: false, classes: [] }),
    'moves.recent': () => ({ moves: [] }),
    'classes.list': () => ({ classes: [] }),
    'classes.create': () => ({ name: 'red' }),
  });

describe('what the states tell one another', () => {
  it('reads the library again in Activity when another state changed it or the app was entered', async () => {
    const engine = library();
    const bus = createStateBus();
    const dispose = new Activity(engine.client, bus).listen();
    await settle();
    expect(engine.count('library.status')).toBe(1);
    bus.emit('library-changed');
    bus.emit('entered');
    await settle();
    expect(engine.count('library.status')).toBe(3);

    dispose();
    bus.emit('library-changed');
    await settle();
    expect(engine.count('library.status')).toBe(3);
  });

  it('tells the others when a class is created, and reads the class list again when another state made one', async () => {
    const engine = library();
    const bus = createStateBus();
    const activity = new Activity(engine.client, bus);
    const classes = new Classes(engine.client, bus);
    const stops = [activity.listen(), classes.listen()];
    await settle();

    expect(await classes.create('red')).toBe(true);
    await settle();
    expect(classes.created).toBe('red');
    expect(engine.count('library.status')).toBe(2);
    expect(engine.count('classes.list')).toBe(2);

    bus.emit('classes-changed');
    await settle();
    expect(engine.count('classes.list')).toBe(3);
    stops.forEach((stop) => stop());
  });
});
