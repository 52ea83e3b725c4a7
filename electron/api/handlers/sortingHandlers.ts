/** Starting and stopping sorting, and the settings it follows. */
import { applyChange, effectiveSettings, writeSettings } from '../state/settingsFile.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

export const sortingHandlers: HandlersFor<
  'sort.start' | 'sort.stop' | 'settings.get' | 'settings.set',
  Pick<HandlerContext, 'library' | 'model' | 'setRuntime'>
> = {
  async 'sort.start'(_input, context) {
    return { sorting: await context.library().sort.start() };
  },

  async 'sort.stop'(_input, context) {
    return { sorting: await context.library().sort.stop() };
  },

  async 'settings.get'(_input, context) {
    return effectiveSettings(context.library().settings, await context.model.runtime());
  },

  async 'settings.set'(change, context) {
    const library = context.library();
    // The model first: an unavailable provider is refused before anything else changes.
    await context.setRuntime({ threads: change.threads, provider: change.provider });
    const next = applyChange(library.settings, change);
    await writeSettings(library.root, next);
    library.settings = next;
    await library.sort.restart();
    return effectiveSettings(next, await context.model.runtime());
  },
};
