import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';
import { locateModel } from '../../electron/engine/models/locateModel.js';
import { fakeModelFiles, makeScratchDir, writeModelFolder } from '../helpers/modelFolders.js';

let scratch: string;
let removeDir: () => Promise<void>;
beforeEach(async () => {
  ({ dir: scratch, remove: removeDir } = await makeScratchDir());
});
afterEach(async () => {
  await removeDir();
});

async function failure(options: Parameters<typeof locateModel>[0]): Promise<ClipSortError> {
  const error = await locateModel(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClipSortError);
  expect((error as ClipSortError).code).toBe('model-missing');
  return error as ClipSortError;
}

it('says how to get a model when there is none, in one message', async () => {
  const home = path.join(scratch, 'home');
  const { message } = await failure({ modelsHome: home, env: {} });
  expect(message).toBe(
    `No CLIP model was found at ${path.join(home, 'clip-vit-base-patch32')} (in the models home). ` +
      'Download it with `clipsort models download clip-vit-base-patch32`, import a model folder you already have ' +
      'with `clipsort models import <dir>`, or point to one with --model-dir <dir>.',
  );
});

it('names the missing files of an incomplete folder', async () => {
  const dir = await writeModelFolder(path.join(scratch, 'model'), fakeModelFiles());
  await rm(path.join(dir, 'onnx', 'text_model.onnx'));
  await rm(path.join(dir, 'preprocessor_config.json'));
  const { message } = await failure({ modelDir: dir, env: {} });
  expect(message).toMatch(
    /^The CLIP model at .*model \(given with --model-dir\) is incomplete: onnx\/text_model\.onnx, preprocessor_config\.json missing\. Download it with/,
  );
});

it('finds the default model in the models home, a folder in CLIPSORT_MODEL_DIR, and --model-dir first', async () => {
  const home = path.join(scratch, 'home');
  const inHome = await writeModelFolder(path.join(home, 'clip-vit-base-patch32'), fakeModelFiles());
  const fromEnv = await writeModelFolder(path.join(scratch, 'env-model'), fakeModelFiles());
  const given = await writeModelFolder(
    path.join(scratch, 'given'),
    fakeModelFiles({ fp32: false, quantized: true }),
  );

  expect(await locateModel({ modelsHome: home, env: {} })).toBe(inHome);
  expect(await locateModel({ env: { CLIPSORT_MODELS_HOME: home } })).toBe(inHome);
  expect(await locateModel({ modelsHome: home, env: { CLIPSORT_MODEL_DIR: fromEnv } })).toBe(fromEnv);
  expect(await locateModel({ modelDir: given, modelsHome: home, env: { CLIPSORT_MODEL_DIR: fromEnv } })).toBe(
    given,
  );
  const { message } = await failure({ env: { CLIPSORT_MODEL_DIR: path.join(scratch, 'gone') } });
  expect(message).toContain('(named by CLIPSORT_MODEL_DIR)');
});
