/** The model's status, and getting a model: downloading the default one or importing a folder. */
import type { HandlerContext, HandlersFor } from './handlerContext.js';

export const modelHandlers: HandlersFor<
  'model.status' | 'model.download' | 'model.cancelDownload' | 'model.import',
  Pick<HandlerContext, 'model' | 'models' | 'assertMaySwitch'>
> = {
  'model.status'(_input, context) {
    return context.model.report();
  },

  'model.download'(_input, context) {
    return context.models.download();
  },

  'model.cancelDownload'(_input, context) {
    return context.models.cancel();
  },

  async 'model.import'({ path: folder, id, replace }, context) {
    context.assertMaySwitch('import a model from another folder');
    return context.models.import(folder, { id, replace });
  },
};
