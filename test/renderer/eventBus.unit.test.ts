import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { EventBus } from '../../renderer/src/lib/eventBus.js';

interface Events {
  filed: { file: string };
  cleared: undefined;
}

describe('the event bus', () => {
  it('delivers each event with its payload to the listeners of that event only', () => {
    const bus = new EventBus<Events>();
    const filed = vi.fn();
    const cleared = vi.fn();
    bus.on('filed', filed);
    bus.on('cleared', cleared);
    bus.emit('filed', { file: 'Images/a.jpg' });
    expect(filed).toHaveBeenCalledExactlyOnceWith({ file: 'Images/a.jpg' });
    expect(cleared).not.toHaveBeenCalled();
    bus.emit('cleared');
    expect(cleared).toHaveBeenCalledOnce();
  });

  it('stops a listener when its unsubscribe is called, and only that subscription', () => {
    const bus = new EventBus<Events>();
    const listener = vi.fn();
    const other = vi.fn();
    const stopFirst = bus.on('cleared', listener);
    bus.on('cleared', listener);
    bus.on('cleared', other);
    stopFirst();
    bus.emit('cleared');
    expect(listener).toHaveBeenCalledOnce();
    expect(other).toHaveBeenCalledOnce();
  });

  it('delivers an event to every listener even when one stops listening on the way', () => {
    const bus = new EventBus<Events>();
    const calls: string[] = [];
    const stop = bus.on('cleared', () => {
      calls.push('first');
      stop();
    });
    bus.on('cleared', () => calls.push('second'));
    bus.emit('cleared');
    bus.emit('cleared');
    expect(calls).toEqual(['first', 'second', 'second']);
  });

  it('emits to no one without complaint', () => {
    expect(() => new EventBus<Events>().emit('cleared')).not.toThrow();
  });

  it('types each payload by its event', () => {
    const bus = new EventBus<Events>();
    bus.on('filed', (payload) => expectTypeOf(payload).toEqualTypeOf<{ file: string }>());
    // @ts-expect-error: a filing names its file.
    bus.emit('filed');
    // @ts-expect-error: clearing carries nothing.
    bus.emit('cleared', { file: 'Images/a.jpg' });
  });
});
