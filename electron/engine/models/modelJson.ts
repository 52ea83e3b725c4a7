/** Reading the small JSON files of a model folder (configs, tokenizers), with one message when one is damaged. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError, errorMessage } from '../errors.js';

/** The JSON file `file` of the model in `modelDir`; `{}` when an optional one is absent. */
export async function readModelJson(
  modelDir: string,
  file: string,
  required: boolean,
): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path.join(modelDir, file), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ClipSortError(
      'model-broken',
      `The model's ${file} in ${modelDir} cannot be read (${errorMessage(error)}). Import or download the model again.`,
      { cause: error },
    );
  }
}
