/**
 * Commands about the app rather than one library: what this face is and may do, the recent libraries, getting a
 * model, and the two commands only the desktop shell answers (it handles them before they reach the engine).
 */
import path from 'node:path';
import { ClipSortError } from '../engine/errors.js';
import type { Handlers } from './handlers.js';

/** What a face without the desktop shell answers to a shell command. */
function desktopOnly(what: string): Promise<never> {
  return Promise.reject(
    new ClipSortError('desktop-only', `Only the ClipSort desktop app can ${what}; this is a browser.`),
  );
}

export const appHandlers: Pick<
  Handlers,
  | 'app.info'
  | 'library.forget'
  | 'shell.pickFolder'
  | 'shell.showInFolder'
  | 'model.download'
  | 'model.cancelDownload'
  | 'model.import'
> = {
  async 'app.info'(_input, api) {
    const desktop = api.face === 'desktop';
    return {
      face: api.face,
      canSwitchLibrary: desktop,
      library: api.openLibrary()?.info ?? null,
      recentLibraries: desktop ? await api.config.recentLibraries() : [],
    };
  },

  async 'library.forget'({ path: folder }, api) {
    api.assertMaySwitch('keep a list of libraries');
    await api.config.forget(path.resolve(folder));
    return { recentLibraries: await api.config.recentLibraries() };
  },

  'shell.pickFolder'() {
    return desktopOnly('show a folder picker');
  },

  'shell.showInFolder'() {
    return desktopOnly('show a file in the file manager');
  },

  'model.download'(_input, api) {
    return api.models.download();
  },

  'model.cancelDownload'(_input, api) {
    return api.models.cancel();
  },

  async 'model.import'({ path: folder, id, replace }, api) {
    api.assertMaySwitch('import a model from another folder');
    return api.models.import(folder, { id, replace });
  },
};
