import { describe, expect, it, vi } from 'vitest';
import { commandNames } from '../../electron/api/contract/index.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, windowWebPreferences } from '../../electron/shell/securityPolicy.js';
import { compiledPreload, compilePreload, type FakeIpc } from './preloadRunner.js';

type Bridge = { invoke(name: unknown, input?: unknown): Promise<unknown>; subscribe(h: unknown): () => void };

function fakeIpc() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn((_channel: string, ..._args: unknown[]) => Promise.resolve({ ok: true, result: 'done' })),
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    },
    emit: (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l(...args)),
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  } satisfies FakeIpc & Record<string, unknown>;
  return ipc;
}

/** The preload, run with the arguments the real window passes it. */
function runPreload() {
  const ipc = fakeIpc();
  const argv = ['electron', ...windowWebPreferences('/p.js', commandNames).additionalArguments];
  const run = compiledPreload(argv, ipc);
  return { ...run, ipc, bridge: run.exposed.get('clipsort') as Bridge };
}

describe('the sandboxed preload', () => {
  it('compiles to CommonJS that loads nothing but electron', () => {
    const output = compilePreload();
    expect(output).not.toMatch(/^\s*(import|export)\s/m);
    const { required } = runPreload();
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly window.clipsort with invoke and subscribe', () => {
    const { exposed, bridge } = runPreload();
    expect([...exposed.keys()]).toEqual(['clipsort']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends the command table’s names over the one invoke channel', async () => {
    const { bridge, ipc } = runPreload();
    await expect(bridge.invoke('library.open', { path: '/x' })).resolves.toEqual({
      ok: true,
      result: 'done',
    });
    expect(ipc.invoke).toHaveBeenCalledWith(INVOKE_CHANNEL, 'library.open', { path: '/x' });
  });

  it.each([['fs.readFile'], ['__proto__'], ['constructor'], [42], [undefined], ['']])(
    'refuses %s without reaching the main process',
    async (name) => {
      const { bridge, ipc } = runPreload();
      await expect(bridge.invoke(name, {})).rejects.toThrow(/Unknown command/);
      expect(ipc.invoke).not.toHaveBeenCalled();
    },
  );

  it('refuses every command when the main process handed over none', async () => {
    const ipc = fakeIpc();
    const bridge = compiledPreload(['electron'], ipc).exposed.get('clipsort') as Bridge;
    await expect(bridge.invoke('library.open', {})).rejects.toThrow(/Unknown command/);
  });

  it('delivers events without the IPC event object, until unsubscribed', () => {
    const { bridge, ipc } = runPreload();
    const seen: unknown[] = [];
    const stop = bridge.subscribe((data: unknown) => seen.push(data));
    const sender = { sender: 'ipc internals' };
    ipc.emit(EVENT_CHANNEL, sender, { event: 'model', data: { state: 'ready' } });
    expect(seen).toEqual([{ event: 'model', data: { state: 'ready' } }]);
    stop();
    expect(ipc.count(EVENT_CHANNEL)).toBe(0);
    ipc.emit(EVENT_CHANNEL, sender, { event: 'model', data: {} });
    expect(seen).toHaveLength(1);
    expect(() => bridge.subscribe('not a function')).toThrow(TypeError);
  });
});
