/**
 * What the model receives, so that anyone can check it against the reference pipeline. Only the model folder's
 * configuration and tokenizer are read: the model itself is not loaded.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../../engine/errors.js';
import { readImageFile } from '../../engine/imaging/imageFile.js';
import { inputSize, preprocessImage } from '../../engine/imaging/preprocess.js';
import { readModelFiles } from '../../engine/inference/modelFiles.js';
import { ClipTokenizer } from '../../engine/text/tokenizer.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

type Context = Pick<HandlerContext, 'model' | 'assertMaySwitch'>;

export const debugHandlers: HandlersFor<'debug.tensor' | 'debug.tokens', Context> = {
  async 'debug.tensor'({ image, out }, context) {
    context.assertMaySwitch('read and write files outside the library');
    const { preprocess: spec } = await readModelFiles(await modelFolder(context));
    const name = path.basename(image);
    const file = await readImageFile(image, name);
    const tensor = await preprocessImage(file.bytes, spec, name);
    await writeFile(out, new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength));
    const { width, height } = inputSize(spec);
    return { shape: [3, height, width], values: tensor.length };
  },

  async 'debug.tokens'({ text }, context) {
    const folder = await modelFolder(context);
    const tokenizer = await ClipTokenizer.load(folder, (await readModelFiles(folder)).tokenizer);
    return { ids: tokenizer.encode(text) };
  },
};

/** The folder of the model in use (or that would be), found without loading it; `model-missing` when none. */
async function modelFolder(context: Context): Promise<string> {
  const { folder, message } = await context.model.report();
  if (folder) return folder;
  throw new ClipSortError('model-missing', message ?? 'No CLIP model was found.');
}
