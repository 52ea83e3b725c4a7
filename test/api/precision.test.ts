import { cp, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { addColourPhotos, colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

describe('precision as a setting', () => {
  const tempDir = useTempDirs();
  const opened: ApiService[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((api) => api.close()));
  });

  /** An open colour library (with `perColour` more photos) on a copy of the colour model. */
  async function library(perColour: number) {
    const [root, modelDir, configDir] = [await tempDir(), await tempDir(), await tempDir()];
    await cp(colourModelDir, modelDir, { recursive: true });
    await makeColourLibrary(root);
    await addColourPhotos(root, perColour);
    const api = await ApiService.open(root, { model: { modelDir, threads: 1 }, configDir });
    opened.push(api);
    return { api, configDir, modelDir };
  }

  it('runs int8 once checked on the photos, with embeddings of its own, and keeps the choice per computer', async () => {
    const { api, configDir, modelDir } = await library(7);
    const fp32 = await api.model.get();
    expect(await run(api, 'model.status')).toMatchObject({
      state: 'ready',
      precision: 'fp32',
      message: null,
    });

    expect(await run(api, 'settings.set', { precision: 'int8' })).toMatchObject({ precision: 'int8' });
    const int8 = await api.model.get();
    expect(int8.precision).toBe('int8');
    expect(int8.key).not.toBe(fp32.key);
    expect(await run(api, 'model.status')).toMatchObject({
      state: 'ready',
      precision: 'int8',
      message: null,
    });
    expect(JSON.parse(await readFile(path.join(configDir, 'settings.json'), 'utf8'))).toMatchObject({
      precision: 'int8',
    });

    // Another face on this computer asks for int8 too; back to fp32, the fp32 model runs again.
    const otherRoot = await tempDir();
    await makeColourLibrary(otherRoot);
    const other = await ApiService.open(otherRoot, { model: { modelDir }, configDir });
    opened.push(other);
    expect(await run(other, 'settings.get')).toMatchObject({ precision: 'int8' });
    await run(api, 'settings.set', { precision: 'fp32' });
    expect((await api.model.get()).key).toBe(fp32.key);
  });

  it('keeps full precision, saying why, where the check refuses int8', async () => {
    const { api } = await library(0);
    await run(api, 'settings.set', { precision: 'int8' });
    expect((await api.model.get()).precision).toBe('fp32');
    const status = await run(api, 'model.status');
    expect(status).toMatchObject({ state: 'ready', precision: 'fp32' });
    expect(status.message).toMatch(/at least 32 .*has 20/);
    // What was asked stays asked: the setting reads int8, the status what runs.
    expect(await run(api, 'settings.get')).toMatchObject({ precision: 'int8' });
  });

  it('runs a folder with quantized encoders alone in int8, whatever precision is asked', async () => {
    const { api, modelDir } = await library(0);
    for (const tower of ['vision', 'text']) {
      const file = path.join(modelDir, `onnx/${tower}_model`);
      await rename(`${file}.onnx`, `${file}_quantized.onnx`);
    }
    expect(await run(api, 'settings.get')).toMatchObject({ precision: 'fp32' });
    expect((await api.model.get()).precision).toBe('int8');
    expect(await run(api, 'model.status')).toMatchObject({
      state: 'ready',
      precision: 'int8',
      message: null,
    });
  });

  it('refuses an unknown precision as invalid input', async () => {
    const { api } = await library(0);
    const outcome = await api.invoke('settings.set', { precision: 'int4' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
