/**
 * Commands about the app rather than one library: what this face is and may do, the recent libraries, and the
 * two commands only the desktop shell answers (it handles them before they reach the engine).
 */
import path from 'node:path';
import { ClipSortError } from '../../engine/errors.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** What a face without the desktop shell answers to a shell command. */
function desktopOnly(what: string): Promise<never> {
  return Promise.reject(
    new ClipSortError('desktop-only', `Only the ClipSort desktop app can ${what}; this is a browser.`),
  );
}

export const appHandlers: HandlersFor<
  'app.info' | 'library.forget' | 'shell.pickFolder' | 'shell.showInFolder',
  Pick<HandlerContext, 'face' | 'openLibrary' | 'assertMaySwitch' | 'config'>
> = {
  async 'app.info'(_input, context) {
    const desktop = context.face === 'desktop';
    return {
      face: context.face,
      canSwitchLibrary: desktop,
      library: context.openLibrary()?.info ?? null,
      recentLibraries: desktop ? await context.config.recentLibraries() : [],
    };
  },

  async 'library.forget'({ path: folder }, context) {
    context.assertMaySwitch('keep a list of libraries');
    await context.config.forget(path.resolve(folder));
    return { recentLibraries: await context.config.recentLibraries() };
  },

  'shell.pickFolder'() {
    return desktopOnly('show a folder picker');
  },

  'shell.showInFolder'() {
    return desktopOnly('show a file in the file manager');
  },
};
