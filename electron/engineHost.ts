/**
 * The engine, hosted in an Electron utility process so that sorting, inference and thumbnails never block the
 * window. Plain Node: it talks to the main process over `process.parentPort` (typed locally, so that this file
 * does not import electron) and serves library files only through the checks of `api/serving/libraryFiles.ts`. It keeps
 * what belongs to the computer (recent libraries, how the model runs) in the user's configuration folder, and
 * opens the library used last, if it is still there, before it answers anything.
 */
import { errorMessage } from './engine/errors.js';
import { defaultConfigHome } from './api/state/appConfig.js';
import { ApiService } from './api/state/apiService.js';
import { LibraryFileServer } from './api/serving/libraryFileServer.js';
import type { HostMessage, HostRequest } from './shell/engineMessages.js';

/** The part of Electron's `process.parentPort` this host uses. */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: HostMessage): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('The engine host runs inside the ClipSort desktop app.');

const api = new ApiService({
  allowLibrarySwitch: true,
  configDir: defaultConfigHome(),
  onInternalError: (error) => port.postMessage({ kind: 'internal-error', message: errorMessage(error) }),
});
api.subscribe((event) => port.postMessage({ kind: 'event', event }));
const files = new LibraryFileServer(api);

/** Opens the most recent library that still exists; the app starts on the first-run view otherwise. */
async function reopenLast(): Promise<void> {
  const last = (await api.config.recentLibraries()).find((entry) => entry.exists);
  if (!last) return;
  try {
    await api.switchLibrary(last.path, false);
  } catch (error) {
    api.emit('notice', { message: `${last.path} could not be opened again: ${errorMessage(error)}` });
  }
}
const started = reopenLast();

async function answer(request: HostRequest): Promise<HostMessage> {
  await started;
  switch (request.kind) {
    case 'invoke':
      return { kind: 'reply', id: request.id, outcome: await api.invoke(request.name, request.input) };
    case 'root': {
      let root: string | null;
      try {
        root = api.library().root;
      } catch {
        root = null;
      }
      return { kind: 'root', id: request.id, root };
    }
    default:
      return {
        kind: 'file',
        id: request.id,
        file: await files.answer(request.path, request.kind === 'thumb' ? request.size : undefined),
      };
  }
}

port.on('message', ({ data }) => {
  const request = data as HostRequest;
  answer(request)
    .then((message) => port.postMessage(message))
    .catch((error: unknown) => {
      port.postMessage({ kind: 'internal-error', message: errorMessage(error) });
      const failure: HostMessage =
        request.kind === 'invoke'
          ? {
              kind: 'reply',
              id: request.id,
              outcome: {
                ok: false,
                error: { code: 'internal', message: 'ClipSort hit an unexpected problem.' },
              },
            }
          : request.kind === 'root'
            ? { kind: 'root', id: request.id, root: null }
            : {
                kind: 'file',
                id: request.id,
                file: { ok: false, status: 500, message: 'Unexpected problem.' },
              };
      port.postMessage(failure);
    });
});

const shutdown = () => {
  api.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', shutdown);
