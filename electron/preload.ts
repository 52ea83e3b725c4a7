/**
 * The sandboxed preload: exposes `window.clipsort` with exactly two functions, `invoke` (only the command names
 * the main process handed over) and `subscribe` (events without the IPC event object). Sandboxed preloads cannot
 * load other files of ours, so this file imports only `electron`; `tsconfig.preload.json` compiles it to CommonJS.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/** Must equal the constants of `shell/securityPolicy.ts` (a test checks it). */
export const INVOKE_CHANNEL = 'clipsort:invoke';
export const EVENT_CHANNEL = 'clipsort:event';
export const COMMANDS_ARGUMENT = '--clipsort-commands=';

/** The part of `ipcRenderer` the bridge uses. */
export type BridgeIpc = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** The API the page sees as `window.clipsort`. */
export function buildBridge(ipc: BridgeIpc, allowed: readonly string[]) {
  const names = new Set(allowed);
  return Object.freeze({
    invoke(name: unknown, input: unknown): Promise<unknown> {
      if (typeof name !== 'string' || !names.has(name))
        return Promise.reject(new Error(`Unknown command ${String(name)}.`));
      return ipc.invoke(INVOKE_CHANNEL, name, input) as Promise<unknown>;
    },
    subscribe(handler: unknown): () => void {
      if (typeof handler !== 'function') throw new TypeError('subscribe needs a function.');
      const listener = (_event: IpcRendererEvent, data: unknown) =>
        void (handler as (data: unknown) => void)(data);
      ipc.on(EVENT_CHANNEL, listener);
      return () => void ipc.removeListener(EVENT_CHANNEL, listener);
    },
  });
}

/** The command names from the window's arguments (see `windowWebPreferences`). */
export function allowedCommands(argv: readonly string[]): string[] {
  const argument = argv.find((arg) => arg.startsWith(COMMANDS_ARGUMENT));
  return argument ? argument.slice(COMMANDS_ARGUMENT.length).split(',').filter(Boolean) : [];
}

contextBridge.exposeInMainWorld('clipsort', buildBridge(ipcRenderer, allowedCommands(process.argv)));
