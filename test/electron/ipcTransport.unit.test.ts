import { describe, expect, it } from 'vitest';
import { createClient } from '../../electron/api/client.js';
import { ApiError } from '../../electron/api/contract/index.js';
import {
  desktopShell,
  ipcTransport,
  type ClipSortBridge,
} from '../../electron/api/transports/ipcTransport.js';

/** A bridge that answers as the main process does: `{ ok, result }` or `{ ok, error }`. */
function fakeBridge(answer: (name: string, input: unknown) => unknown) {
  const handlers = new Set<(event: unknown) => void>();
  const sent: [string, unknown][] = [];
  const bridge: ClipSortBridge = {
    invoke: (name, input) => {
      sent.push([name, input]);
      return Promise.resolve(answer(name, input));
    },
    subscribe: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
  return { bridge, sent, push: (event: unknown) => handlers.forEach((h) => h(event)) };
}

describe('the IPC transport', () => {
  it('returns results and throws errors as ApiError', async () => {
    const { bridge } = fakeBridge((name) =>
      name === 'library.open'
        ? { ok: false, error: { code: 'not-a-library', message: 'No library here.' } }
        : { ok: true, result: { fine: true } },
    );
    const transport = ipcTransport(bridge);
    await expect(transport.invoke('settings.get', {})).resolves.toEqual({ fine: true });
    const failure = transport.invoke('library.open', { path: '/x' });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'not-a-library' });
  });

  it('treats a missing answer as an internal error', async () => {
    const { bridge } = fakeBridge(() => undefined);
    await expect(ipcTransport(bridge).invoke('settings.get', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers valid events through the client, and drops malformed ones', () => {
    const { bridge, push } = fakeBridge(() => undefined);
    const client = createClient(ipcTransport(bridge));
    const seen: unknown[] = [];
    const stop = client.on('model', (data) => seen.push(data));
    push({ event: 'model', data: { nonsense: true } });
    push({ event: 'other', data: {} });
    stop();
    push({ event: 'model', data: {} });
    expect(seen).toEqual([]);
  });

  it('offers the folder picker and show-in-folder of the desktop app', async () => {
    const { bridge, sent } = fakeBridge((name) =>
      name === 'shell.pickFolder' ? { ok: true, result: { path: '/photos' } } : { ok: true, result: {} },
    );
    const shell = desktopShell(bridge);
    await expect(shell.pickFolder()).resolves.toBe('/photos');
    await shell.showInFolder('Images/a.png');
    expect(sent).toEqual([
      ['shell.pickFolder', {}],
      ['shell.showInFolder', { path: 'Images/a.png' }],
    ]);
  });
});
