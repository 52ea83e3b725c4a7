/**
 * The one IPC entry: `clipsort:invoke` from our own pages only. Engine commands go to the engine host (which
 * validates them against the contract); the shell's own commands (declared in the contract too, so that the
 * renderer's client can call them) open a folder picker or the file manager, after the same validation.
 */
import {
  BrowserWindow,
  dialog,
  ipcMain,
  shell,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
} from 'electron';
import { parseInput, type ApiEvent } from '../api/contract/index.js';
import { resolveInsideLibrary } from '../engine/library/safePaths.js';
import { errorMessage } from '../engine/errors.js';
import type { EngineProcess } from './engineProcess.js';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  isAppUrl,
  isTrustedSender,
  SHELL_COMMANDS,
  type ShellCommand,
} from './securityPolicy.js';

type Outcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

const refuse = (code: string, message: string): Outcome => ({ ok: false, error: { code, message } });

const isShellCommand = (name: unknown): name is ShellCommand => SHELL_COMMANDS.includes(name as ShellCommand);

/** The picker's title for each purpose of `shell.pickFolder`. */
const PICKER_TITLES = { library: 'Choose a library folder', model: 'Choose a CLIP model folder' } as const;

/** Lets the user choose a folder: `{ path }`, or `{ path: null }` when they cancel. */
async function pickFolder(event: IpcMainInvokeEvent, purpose: keyof typeof PICKER_TITLES): Promise<Outcome> {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options: OpenDialogOptions = {
    title: PICKER_TITLES[purpose],
    properties: purpose === 'library' ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
  };
  const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return { ok: true, result: { path: chosen.canceled ? null : (chosen.filePaths[0] ?? null) } };
}

/** Shows a library file in the system's file manager; the path must stay inside the open library. */
async function showInFolder(engine: EngineProcess, input: unknown): Promise<Outcome> {
  const parsed = parseInput('shell.showInFolder', input);
  if (!parsed.ok) return parsed;
  const relative = parsed.input.path;
  const root = await engine.root();
  if (!root) return refuse('no-library', 'No library is open: open or create one first.');
  try {
    shell.showItemInFolder(await resolveInsideLibrary(root, relative));
  } catch (error) {
    return refuse('path-outside-library', errorMessage(error));
  }
  return { ok: true, result: {} };
}

/** Answers `clipsort:invoke` and forwards the engine's events to every window. */
export function setupIpc(engine: EngineProcess): (event: ApiEvent) => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, input: unknown): Promise<Outcome> => {
    // Only our own top frame may talk to the engine: not a frame or page that got in some other way.
    if (!isTrustedSender(event.senderFrame)) {
      return refuse('forbidden', 'Commands are only accepted from ClipSort’s own pages.');
    }
    if (typeof name !== 'string') return refuse('unknown-command', 'The command name must be a string.');
    if (name === 'shell.pickFolder') {
      const parsed = parseInput('shell.pickFolder', input ?? {});
      return parsed.ok ? pickFolder(event, parsed.input.purpose ?? 'library') : parsed;
    }
    if (name === 'shell.showInFolder') return showInFolder(engine, input);
    if (isShellCommand(name)) return refuse('unknown-command', `Unknown command ${name}.`);
    return engine.invoke(name, input);
  });
  return (event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (isAppUrl(window.webContents.getURL())) window.webContents.send(EVENT_CHANNEL, event);
    }
  };
}
