/**
 * The desktop face's transport: commands and events over the preload's `window.clipsort` bridge. No Node or
 * Electron imports, so the renderer can use it as it uses the WebSocket transport in the browser.
 */
import type { Transport } from '../client.js';
import { ApiError, type ApiErrorBody, type ApiEvent } from '../contract/index.js';

/** What the preload exposes as `window.clipsort`. */
export interface ClipSortBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(handler: (event: unknown) => void): () => void;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** The bridge of the desktop app, or `undefined` in a browser. */
export function desktopBridge(): ClipSortBridge | undefined {
  return (globalThis as { clipsort?: ClipSortBridge }).clipsort;
}

/** The result of an outcome from the main process, or its error thrown as an `ApiError`. */
function unwrap(outcome: unknown): unknown {
  const answer = outcome as Outcome | undefined;
  if (answer?.ok === true) return answer.result;
  if (answer?.ok === false) throw new ApiError(answer.error);
  throw new ApiError({ code: 'internal', message: 'The desktop app gave no answer.' });
}

/** A `Transport` over the preload's bridge. */
export function ipcTransport(bridge: ClipSortBridge): Transport {
  return {
    async invoke(name, input) {
      return unwrap(await bridge.invoke(name, input));
    },
    subscribe(handler) {
      // Events are checked against the contract by the client before anyone acts on them.
      return bridge.subscribe((event) => handler(event as ApiEvent));
    },
  };
}

/** What only the desktop app can do: a native folder picker and showing a file in the file manager. */
export function desktopShell(bridge: ClipSortBridge) {
  return {
    /** The folder the user chose, or `null` when they cancelled. */
    async pickFolder(): Promise<string | null> {
      const { path } = unwrap(await bridge.invoke('shell.pickFolder', {})) as { path: string | null };
      return path;
    },
    /** Shows a library file (library-relative path) in the system's file manager. */
    async showInFolder(path: string): Promise<void> {
      unwrap(await bridge.invoke('shell.showInFolder', { path }));
    },
  };
}
