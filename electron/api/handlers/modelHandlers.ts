/** The model's status, and getting a model: downloading one of the catalogue, importing a folder, picking one, verifying. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../../engine/errors.js';
import { isFile, MODEL_RECORD_FILE } from '../../engine/models/modelLayout.js';
import { verifyModel, type VerifyReport } from '../../engine/models/verifyModel.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

export const modelHandlers: HandlersFor<
  'model.status' | 'model.download' | 'model.cancelDownload' | 'model.import' | 'model.use' | 'model.verify',
  Pick<HandlerContext, 'model' | 'models' | 'assertMaySwitch'>
> = {
  'model.status'(_input, context) {
    return context.model.report();
  },

  'model.download'(input, context) {
    return context.models.download(input);
  },

  'model.cancelDownload'(_input, context) {
    return context.models.cancel();
  },

  // A folder on the computer that runs the face, in the browser too: it is only read, and copied into the models home.
  'model.import'({ path: folder, id, replace, use }, context) {
    return context.models.import(folder, { id, replace, use });
  },

  'model.use'({ id }, context) {
    return context.models.use(id);
  },

  async 'model.verify'({ id, path: folder }, context) {
    if (folder !== undefined) context.assertMaySwitch('verify a model in another folder');
    const dirs = folder !== undefined ? [folder] : await inModelsHome(id, context.model);
    const models: VerifyReport[] = [];
    for (const dir of dirs) models.push(await verifyModel(dir));
    return { ok: models.every((report) => report.ok), models };
  },
};

/**
 * The model `id` of the models home, or else every folder there with a record (a damaged record is then told by
 * `verifyModel`).
 */
async function inModelsHome(id: string | undefined, model: HandlerContext['model']): Promise<string[]> {
  // The status is where a handler learns the models home.
  const { modelsHome } = await model.report();
  if (id !== undefined) return [path.join(modelsHome, id)];
  const names = await readdir(modelsHome).catch(() => []);
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const dir = path.join(modelsHome, name);
    if (await isFile(path.join(dir, MODEL_RECORD_FILE))) dirs.push(dir);
  }
  if (dirs.length === 0) {
    throw new ClipSortError(
      'model-missing',
      `No installed model was found in ${modelsHome}; download one with \`clipsort models download\`.`,
    );
  }
  return dirs;
}
