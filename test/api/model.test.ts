import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiService, type ApiServiceOptions } from '../../electron/api/state/apiService.js';
import type { ApiEvent } from '../../electron/api/contract/index.js';
import { availableExecutionProviders } from '../../electron/engine/inference/onnxRuntime.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { FAKE_MODEL_ID, serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { sha256, type ServedFile } from '../helpers/fileServer.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { walk } from '../helpers/tree.js';
import { run } from './runCommand.js';

const tempDir = useTempDirs();
const quick = { retryDelayMs: 5, idleTimeoutMs: 5000 };
const opened: ApiService[] = [];
const catalogues: FakeCatalogue[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((api) => api.close()));
  await Promise.all(catalogues.splice(0).map((catalogue) => catalogue.server.close()));
});

/** The colour model's files, as a catalogue would list them. */
async function colourModelFiles(): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const file of await walk(colourModelDir)) {
    if (/\.(json|onnx)$/.test(file)) files[file] = await readFile(path.join(colourModelDir, file));
  }
  return files;
}

/** Serves the colour model as the catalogue's default, its text encoder slowly (about 20 chunks). */
async function serveColourModel(tweak?: (file: string, served: ServedFile) => void) {
  const files = await colourModelFiles();
  // The catalogue lists quantized encoders too; the default download leaves them out.
  const quantized = Object.fromEntries(
    Object.entries(files)
      .filter(([file]) => file.endsWith('.onnx'))
      .map(([file, bytes]) => [file.replace('.onnx', '_quantized.onnx'), bytes]),
  );
  const catalogue = await serveFakeCatalogue(
    { ...files, ...quantized },
    {
      tweak: (file, served) => {
        if (file === 'onnx/text_model.onnx') served.throttle = { chunkBytes: 4096, delayMs: 25 };
        tweak?.(file, served);
      },
    },
  );
  catalogues.push(catalogue);
  return catalogue;
}

/** A face with its own models home and configuration folder, recording every event. */
async function face(catalogue: FakeCatalogue | undefined, options: ApiServiceOptions = {}) {
  const home = await tempDir('clipsort-models-');
  const configDir = await tempDir('clipsort-config-');
  const api = new ApiService({
    model: { modelsHome: home, catalogue: catalogue?.manifest, threads: 1 },
    download: quick,
    configDir,
    ...options,
  });
  opened.push(api);
  const events: ApiEvent[] = [];
  api.subscribe((event) => events.push(event));
  return { api, home, configDir, events };
}

/** Waits until `check` holds, polling. */
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const modelEvents = (events: ApiEvent[]) => events.flatMap((e) => (e.event === 'model' ? [e.data] : []));
const progressEvents = (events: ApiEvent[]) =>
  events.flatMap((e) => (e.event === 'model-download' ? [e.data] : []));

describe('model.download', () => {
  it('downloads the default model in the background with progress, then loads it; a second call starts nothing', async () => {
    const catalogue = await serveColourModel();
    const { api, home, events } = await face(catalogue);
    const before = await run(api, 'model.status');
    expect(before.models).toEqual([
      {
        id: FAKE_MODEL_ID,
        name: 'Fake CLIP',
        inCatalogue: true,
        isDefault: true,
        state: 'not-installed',
        path: path.join(home, FAKE_MODEL_ID),
        variants: [],
        size: null,
        source: null,
        problem: null,
        languages: ['en'],
        layout: 'transformers.js',
        licence: { name: 'MIT', holder: 'Nobody' },
        strengths: [],
        // Nothing is in use before a model is installed.
        inUse: false,
      },
    ]);
    expect(before.download).toBeNull();
    expect(before.state).toBe('missing');

    const first = await run(api, 'model.download');
    const second = await run(api, 'model.download');
    expect(first).toEqual({ model: FAKE_MODEL_ID, started: true });
    expect(second).toEqual({ model: FAKE_MODEL_ID, started: false });
    // A status read mid-download shows the figures of the latest progress, not those it started with.
    await until(() => progressEvents(events).some((event) => event.received > 0), 'some bytes');
    const midway = (await run(api, 'model.status')).download;
    expect(midway?.state).toBe('running');
    expect(midway?.received).toBeGreaterThan(0);
    expect(midway?.total).toBeGreaterThan(0);
    await until(() => api.model.status().state === 'ready', 'the model to load');

    const files = await colourModelFiles();
    const total = Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0);
    for (const [file, bytes] of Object.entries(files)) {
      expect(sha256(await readFile(path.join(home, FAKE_MODEL_ID, file))), file).toBe(sha256(bytes));
      expect(catalogue.server.contentRequests(`/repo/resolve/main/${file}`), file).toHaveLength(1);
    }
    const progress = progressEvents(events);
    expect(progress.length).toBeGreaterThan(1);
    for (const [i, event] of progress.entries()) {
      expect(event.model).toBe(FAKE_MODEL_ID);
      if (i > 0) expect(event.received).toBeGreaterThanOrEqual(progress[i - 1]!.received);
    }
    expect(progress.at(-1)).toMatchObject({ received: total, total });
    // Status events: the download runs and ends, then the new model loads.
    const states = modelEvents(events).map((s) => `${s.download?.state ?? '-'}/${s.state}`);
    expect(states[0]).toBe('running/idle');
    expect(states.slice(states.indexOf('done/idle'))).toEqual([
      'done/idle',
      'done/loading',
      'done/loading',
      'done/ready',
    ]);

    const after = await run(api, 'model.status');
    expect(after).toMatchObject({
      state: 'ready',
      folder: path.join(home, FAKE_MODEL_ID),
      download: { model: FAKE_MODEL_ID, state: 'done', received: total, total, message: null },
      modelsHome: home,
    });
    expect(after.models[0]).toMatchObject({ state: 'installed', inUse: true, size: total });
    const embedded = await (await api.model.get()).embedTexts(['red']);
    expect(embedded[0]!.length).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(path.join(home, '.in-use.json'), 'utf8'))).toEqual({
      model: FAKE_MODEL_ID,
    });
  });

  it('can be cancelled, keeps what it fetched, and resumes it with a range request', async () => {
    const catalogue = await serveColourModel();
    const { api, home, events } = await face(catalogue);
    await run(api, 'model.download');
    await until(
      () => progressEvents(events).some((e) => e.file === 'onnx/text_model.onnx' && e.received > 0),
      'the text encoder to start',
    );
    expect(await run(api, 'model.cancelDownload')).toEqual({ cancelled: true });
    expect(api.model.status().download).toMatchObject({ state: 'cancelled' });
    expect(api.model.status().download?.message).toMatch(/cancelled/);
    expect((await readdir(path.join(home, FAKE_MODEL_ID, 'onnx'))).some((f) => f.endsWith('.part'))).toBe(
      true,
    );
    expect(await run(api, 'model.cancelDownload')).toEqual({ cancelled: false });

    expect(await run(api, 'model.download')).toEqual({ model: FAKE_MODEL_ID, started: true });
    await until(() => api.model.status().state === 'ready', 'the model to load');
    const requests = catalogue.server.contentRequests('/repo/resolve/main/onnx/text_model.onnx');
    expect(requests.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    const text = await readFile(path.join(home, FAKE_MODEL_ID, 'onnx/text_model.onnx'));
    expect(sha256(text)).toBe(sha256((await colourModelFiles())['onnx/text_model.onnx']!));
  });

  it('reports a failed download with a clear message and stays without a model until a later try', async () => {
    const catalogue = await serveColourModel((file, served) => {
      if (file === 'tokenizer.json') served.faults = [{ kind: 'status', status: 404 }];
    });
    const { api, events } = await face(catalogue);
    await run(api, 'model.download');
    await until(() => api.model.status().download?.state === 'failed', 'the download to fail');
    const status = api.model.status();
    expect(status.download?.message).toMatch(/tokenizer\.json is not at .* \(HTTP 404\)/);
    expect(status.state).toBe('idle');
    expect(modelEvents(events).at(-1)?.download?.state).toBe('failed');
    await expect(api.model.get()).rejects.toThrow(/incomplete: tokenizer\.json missing/);
    expect(api.model.status().state).toBe('missing');

    // The fault was a passing one: the next try finishes, keeping the files already fetched.
    expect(await run(api, 'model.download')).toMatchObject({ started: true });
    await until(() => api.model.status().state === 'ready', 'the model to load');
    expect(catalogue.server.contentRequests('/repo/resolve/main/config.json')).toHaveLength(1);
  });
});

describe('model.import and model.use', () => {
  it('imports a folder in the browser too, uses the first model installed, and switches on model.use', async () => {
    const browser = await face(undefined);
    const imported = await run(browser.api, 'model.import', { path: colourModelDir, id: 'colours' });
    const folder = path.join(browser.home, 'colours');
    expect(imported).toMatchObject({ model: 'colours', folder, files: 6 });
    expect(imported.installed).toMatchObject({ id: 'colours', path: folder });
    expect(imported.installed.added).toHaveLength(6);
    expect(browser.api.model.status()).toMatchObject({ state: 'ready', folder });
    const inUse = async (api: ApiService) =>
      (await run(api, 'model.status')).models.filter((m) => m.inUse).map((m) => m.id);
    expect(await inUse(browser.api)).toEqual(['colours']);

    // Installed only (the command line): another model does not take over the one in use.
    const loaded = await browser.api.model.get();
    await run(browser.api, 'model.import', { path: colourModelDir, id: 'spare', use: false });
    expect(await inUse(browser.api)).toEqual(['colours']);
    expect(await browser.api.model.get()).toBe(loaded);

    // Picking it replaces the loaded model, and every face on the same models home uses it from now on.
    expect(await run(browser.api, 'model.use', { id: 'spare' })).toEqual({
      model: 'spare',
      folder: path.join(browser.home, 'spare'),
    });
    expect(browser.api.model.status()).toMatchObject({
      state: 'ready',
      folder: path.join(browser.home, 'spare'),
    });
    expect(await browser.api.model.get()).not.toBe(loaded);
    const other = new ApiService({ model: { modelsHome: browser.home, threads: 1 } });
    opened.push(other);
    expect(await inUse(other)).toEqual(['spare']);

    const unknown = await browser.api.invoke('model.use', { id: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'model-missing' } });
    expect(await inUse(browser.api)).toEqual(['spare']);
    const malformed = await browser.api.invoke('model.use', { id: '../colours' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const again = await browser.api.invoke('model.import', { path: colourModelDir, id: 'colours' });
    expect(again).toMatchObject({ ok: false, error: { code: 'model-exists' } });
    const notAModel = await browser.api.invoke('model.import', { path: await tempDir() });
    expect(notAModel).toMatchObject({ ok: false, error: { code: 'model-invalid' } });
    const relative = await browser.api.invoke('model.import', { path: 'models/colours' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('threads and provider', () => {
  /** An open colour library on the colour model, with its own configuration folder. */
  async function library() {
    const root = await tempDir();
    await makeColourLibrary(root);
    const configDir = await tempDir('clipsort-config-');
    const api = await ApiService.open(root, {
      model: { modelDir: colourModelDir },
      configDir,
      watch: { stableMs: 50, pollMs: 25 },
    });
    opened.push(api);
    const events: ApiEvent[] = [];
    api.subscribe((event) => events.push(event));
    return { api, configDir, events };
  }

  it('reports what this computer offers, and reloads the model (pausing sorting) for new threads', async () => {
    const { api, configDir, events } = await library();
    const settings = await run(api, 'settings.get');
    expect(settings).toMatchObject({ threads: null, provider: 'cpu' });
    expect(settings.available.providers).toEqual(availableExecutionProviders());
    expect(settings.available.providers).toContain('cpu');
    expect(settings.available.cores).toBeGreaterThan(0);

    await run(api, 'sort.start');
    const before = await api.model.get();
    const changed = await run(api, 'settings.set', { threads: 2 });
    expect(changed).toMatchObject({ threads: 2, provider: 'cpu', mode: 'hybrid' });
    const after = await api.model.get();
    expect(after).not.toBe(before);
    expect((await after.embedTexts(['red']))[0]!.length).toBeGreaterThan(0);
    expect(api.library().sort.sorting).toBe(true);
    const sorting = events.flatMap((e) => (e.event === 'sorting' ? [e.data.sorting] : []));
    expect(sorting.slice(0, 3)).toEqual([true, false, true]);
    expect(JSON.parse(await readFile(path.join(configDir, 'settings.json'), 'utf8'))).toEqual({
      threads: 2,
      provider: 'cpu',
      precision: 'fp32',
    });

    // The same values again change nothing.
    await run(api, 'settings.set', { threads: 2, provider: 'cpu' });
    expect(await api.model.get()).toBe(after);

    // Kept per computer: another face, on another library, with the same folder runs the model the same way.
    const otherRoot = await tempDir();
    await makeColourLibrary(otherRoot);
    const other = await ApiService.open(otherRoot, {
      model: { modelDir: colourModelDir },
      configDir,
    });
    opened.push(other);
    expect(await run(other, 'settings.get')).toMatchObject({ threads: 2 });
  });

  const missing = ['coreml', 'dml', 'webgpu', 'cuda'].find(
    (provider) => !availableExecutionProviders().includes(provider as never),
  );
  it.runIf(missing)(
    `refuses a provider this computer lacks (${missing}) and keeps the model it has`,
    async () => {
      const { api } = await library();
      const before = await api.model.get();
      const refused = await api.invoke('settings.set', { provider: missing, mode: 'max' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'provider-unavailable' } });
      if (!refused.ok)
        expect(refused.error.message).toContain(`${missing} is not available on this computer`);
      expect(await run(api, 'settings.get')).toMatchObject({ provider: 'cpu', mode: 'hybrid' });
      expect(await api.model.get()).toBe(before);
      expect(api.model.status().state).toBe('ready');
      expect((await before.embedTexts(['blue']))[0]!.length).toBeGreaterThan(0);
    },
  );
});

describe.runIf(availableExecutionProviders().includes('cuda'))(
  'a provider that is listed but may not start',
  () => {
    it('either runs the model on CUDA, or refuses it after trying and keeps the CPU model working', async () => {
      const root = await tempDir();
      await makeColourLibrary(root);
      const api = await ApiService.open(root, { model: { modelDir: colourModelDir } });
      opened.push(api);
      const before = await api.model.get();
      const outcome = await api.invoke('settings.set', { provider: 'cuda' });
      if (outcome.ok) {
        expect(outcome.result).toMatchObject({ provider: 'cuda' });
        expect(await api.model.get()).not.toBe(before);
      } else {
        expect(outcome.error.code).toBe('provider-unavailable');
        expect(outcome.error.message).toMatch(/could not be started/);
        expect(await api.model.get()).toBe(before);
        expect(api.model.status()).toMatchObject({ state: 'ready', folder: colourModelDir });
        expect(await api.invoke('settings.get', {})).toMatchObject({ ok: true, result: { provider: 'cpu' } });
      }
      expect((await (await api.model.get()).embedTexts(['green']))[0]!.length).toBeGreaterThan(0);
    });
  },
);
