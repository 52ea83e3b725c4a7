import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { checkLayout, DEFAULT_MODEL_ID, isDirectory } from './modelLayout.js';
import { defaultModelsHome } from './modelsHome.js';

export interface LocateModelOptions {
  /** A model folder named by the person (`--model-dir`); wins over everything else. */
  modelDir?: string;
  /** Where installed models live; defaults to {@link defaultModelsHome}. */
  modelsHome?: string;
  /** The model of the models home to use; the default model unless set. */
  modelId?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The folder of the model to use: `modelDir`, else `CLIPSORT_MODEL_DIR`, else `modelId` (the default model unless
 * set) in the models home. Throws `model-missing`, saying how to get a model, when that folder is absent or incomplete.
 */
export async function locateModel(options: LocateModelOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const [dir, origin] = options.modelDir
    ? [options.modelDir, 'given with --model-dir']
    : env.CLIPSORT_MODEL_DIR
      ? [env.CLIPSORT_MODEL_DIR, 'named by CLIPSORT_MODEL_DIR']
      : [
          path.join(options.modelsHome ?? defaultModelsHome({ env }), options.modelId ?? DEFAULT_MODEL_ID),
          'in the models home',
        ];
  const folder = path.resolve(dir);
  const howToGet =
    `Download it with \`clipsort models download ${DEFAULT_MODEL_ID}\`, ` +
    'import a model folder you already have with `clipsort models import <dir>`, ' +
    'or point to one with --model-dir <dir>.';
  if (!(await isDirectory(folder))) {
    throw new ClipSortError('model-missing', `No CLIP model was found at ${folder} (${origin}). ${howToGet}`);
  }
  const layout = await checkLayout(folder);
  if (!layout.complete) {
    throw new ClipSortError(
      'model-missing',
      `The CLIP model at ${folder} (${origin}) is incomplete: ${layout.missing.join(', ')} missing. ${howToGet}`,
    );
  }
  return folder;
}
