/**
 * The model and debug commands the command line runs through the table: a catalogue model installed without
 * being loaded (waiting for it), verifying installed models, the listing `clipsort models list` prints, and the
 * inputs the model receives.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService, type ApiServiceOptions } from '../../electron/api/state/apiService.js';
import { preprocessImage } from '../../electron/engine/imaging/preprocess.js';
import { readPreprocessSpec } from '../../electron/engine/imaging/preprocessConfig.js';
import { ClipTokenizer } from '../../electron/engine/text/tokenizer.js';
import { colourModelDir } from '../helpers/colourLibrary.js';
import { FAKE_MODEL_ID, serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { writeColourImage } from '../helpers/images.js';
import { fakeModelFiles, writeModelFolder } from '../helpers/modelFolders.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

const tempDir = useTempDirs();
const opened: ApiService[] = [];
const catalogues: FakeCatalogue[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
  await Promise.all(catalogues.splice(0).map((catalogue) => catalogue.server.close()));
});

/** A face on its own models home, serving the fake catalogue (its encoders are stand-ins: never loaded). */
async function face(options: ApiServiceOptions = {}) {
  const catalogue = await serveFakeCatalogue(fakeModelFiles({ quantized: true }));
  catalogues.push(catalogue);
  const home = await tempDir('clipsort-models-');
  const api = new ApiService({
    ...options,
    model: { modelsHome: home, catalogue: catalogue.manifest, ...options.model },
    download: { retryDelayMs: 5, idleTimeoutMs: 5000 },
  });
  opened.push(api);
  return { api, home, catalogue };
}

describe('model.download with wait', () => {
  it('answers with the model installed, the quantized encoders when asked, and loads nothing with use: false', async () => {
    const { api, home } = await face();
    const first = await run(api, 'model.download', { id: FAKE_MODEL_ID, use: false, wait: true });
    expect(first).toMatchObject({ model: FAKE_MODEL_ID, started: true });
    expect(first.installed).toMatchObject({ id: FAKE_MODEL_ID, path: path.join(home, FAKE_MODEL_ID) });
    expect(first.installed?.files).toHaveLength(6);
    expect(first.installed?.added).toHaveLength(6);

    const second = await run(api, 'model.download', { quantized: true, use: false, wait: true });
    expect(second.installed?.files).toHaveLength(8);
    expect(second.installed?.added.sort()).toEqual([
      'onnx/text_model_quantized.onnx',
      'onnx/vision_model_quantized.onnx',
    ]);
    expect(api.model.status()).toMatchObject({ state: 'idle', download: { state: 'done' } });

    const status = await run(api, 'model.status');
    expect(status.models).toEqual([
      expect.objectContaining({
        id: FAKE_MODEL_ID,
        inCatalogue: true,
        state: 'installed',
        path: path.join(home, FAKE_MODEL_ID),
        variants: ['fp32', 'quantized'],
        source: 'download',
        problem: null,
      }),
    ]);
  });

  it('fails with the error of a failed download, and with an unknown model before starting any', async () => {
    const { api, catalogue } = await face();
    const unknown = await api.invoke('model.download', { id: 'nope', wait: true });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toMatch(/no model nope in the catalogue/);
    expect(api.model.status().download).toBeNull();

    await catalogue.server.close();
    const failed = await api.invoke('model.download', { use: false, wait: true });
    expect(failed).toMatchObject({ ok: false });
    expect(api.model.status().download).toMatchObject({ state: 'failed' });
    if (!failed.ok) expect(api.model.status().download?.message).toBe(failed.error.message);
  });
});

describe('model.import with use: false', () => {
  it('installs the folder and answers its files, without loading it', async () => {
    const { api, home } = await face({ allowLibrarySwitch: true });
    const source = await writeModelFolder(await tempDir(), fakeModelFiles());
    const imported = await run(api, 'model.import', { path: source, id: 'mine', use: false });
    expect(imported).toMatchObject({ model: 'mine', folder: path.join(home, 'mine'), files: 6 });
    expect(imported.installed.files.map((file) => file.path).sort()).toEqual(
      Object.keys(fakeModelFiles()).sort(),
    );
    expect(api.model.status().state).toBe('idle');
  });
});

describe('model.verify', () => {
  it('re-hashes one model, a folder, or every recorded one, telling what changed', async () => {
    const { api, home } = await face({ allowLibrarySwitch: true });
    const source = await writeModelFolder(await tempDir(), fakeModelFiles());
    expect(await api.invoke('model.verify', {})).toMatchObject({
      ok: false,
      error: { code: 'model-missing' },
    });
    await run(api, 'model.import', { path: source, id: 'a', use: false });
    await run(api, 'model.import', { path: source, id: 'b', use: false });

    const all = await run(api, 'model.verify');
    expect(all).toMatchObject({
      ok: true,
      models: [
        { id: 'a', ok: true },
        { id: 'b', ok: true },
      ],
    });
    await writeFile(path.join(home, 'b', 'tokenizer.json'), '{}');
    const one = await run(api, 'model.verify', { id: 'b' });
    expect(one.ok).toBe(false);
    expect(one.models[0]!.files.find((file) => file.status !== 'ok')).toMatchObject({
      path: 'tokenizer.json',
      status: 'modified',
      actual: { size: 2 },
    });
    expect(await run(api, 'model.verify', { path: path.join(home, 'a') })).toMatchObject({ ok: true });
    expect(await api.invoke('model.verify', { id: 'a', path: path.join(home, 'a') })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('verifies the models home only, where the face may not reach other folders', async () => {
    const { api } = await face();
    const refused = await api.invoke('model.verify', { path: colourModelDir });
    expect(refused).toMatchObject({ ok: false, error: { code: 'library-fixed' } });
  });
});

describe('debug.tensor and debug.tokens', () => {
  it('write and tell what the model receives, from the model folder alone', async () => {
    const { api } = await face({ allowLibrarySwitch: true, model: { modelDir: colourModelDir } });
    const dir = await tempDir();
    const image = path.join(dir, 'x.png');
    const bytes = await writeColourImage(image, [200, 100, 30], { width: 300, height: 200 });
    const out = path.join(dir, 'x.f32');
    expect(await run(api, 'debug.tensor', { image, out })).toEqual({
      shape: [3, 224, 224],
      values: 3 * 224 * 224,
    });
    const written = await readFile(out);
    const expected = await preprocessImage(bytes, await readPreprocessSpec(colourModelDir), 'x.png');
    expect(new Float32Array(written.buffer, written.byteOffset, written.length / 4)).toEqual(expected);

    const { ids } = await run(api, 'debug.tokens', { text: 'a red photo' });
    expect(ids).toEqual((await ClipTokenizer.load(colourModelDir)).encode('a red photo'));
    expect(api.model.status().state).toBe('idle');
  });

  it('refuse paths of the computer where the face may not reach them, and say when there is no model', async () => {
    const browser = await face({ model: { modelDir: colourModelDir } });
    const refused = await browser.api.invoke('debug.tensor', { image: '/tmp/x.png', out: '/tmp/x.f32' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'library-fixed' } });

    const empty = await face();
    const missing = await empty.api.invoke('debug.tokens', { text: 'red' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'model-missing' } });
  });
});
