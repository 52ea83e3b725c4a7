import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIP_SCORING } from '../../electron/engine/classify/scores.js';
import { ClipSortError } from '../../electron/engine/errors.js';
import { readModelFiles } from '../../electron/engine/inference/modelFiles.js';
import { downloadModel } from '../../electron/engine/models/downloadModel.js';
import { listModels } from '../../electron/engine/models/listModels.js';
import { locateModel } from '../../electron/engine/models/locateModel.js';
import { findModelEntry } from '../../electron/engine/models/manifest.js';
import { readModelRecord } from '../../electron/engine/models/modelRecord.js';
import { verifyModel } from '../../electron/engine/models/verifyModel.js';
import { FAKE_MODEL_ID, serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { sha256 } from '../helpers/fileServer.js';
import { clipPreprocessorConfig } from '../tools/onnx/clipFolder.js';
import { fakeModelFiles, makeScratchDir } from '../helpers/modelFolders.js';

const files = fakeModelFiles({ quantized: true });
const quick = { retryDelayMs: 5, idleTimeoutMs: 2000 };

let catalogue: FakeCatalogue | undefined;
let home: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: home, remove: removeDir } = await makeScratchDir());
});
afterEach(async () => {
  await catalogue?.server.close();
  catalogue = undefined;
  await removeDir();
});

const gets = (fake: FakeCatalogue) =>
  fake.server.log
    .filter((entry) => entry.method === 'GET' && entry.path.startsWith('/cdn/'))
    .map((e) => e.path);
const onlyFp32 = Object.keys(files).filter((file) => !file.includes('_quantized'));

describe('downloadModel', () => {
  it('installs the full-precision files, verified against the hashes the hub states, and records them', async () => {
    catalogue = await serveFakeCatalogue(files);
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    const progress: Array<[number, number]> = [];
    const installed = await downloadModel(entry, home, {
      ...quick,
      onProgress: (d, t) => progress.push([d, t]),
    });

    const dir = path.join(home, FAKE_MODEL_ID);
    expect(installed.path).toBe(dir);
    expect(installed.added.sort()).toEqual(onlyFp32.sort());
    for (const file of onlyFp32) {
      expect(sha256(await readFile(path.join(dir, file)))).toBe(sha256(files[file]!));
    }
    expect(existsSync(path.join(dir, 'onnx/vision_model_quantized.onnx'))).toBe(false);
    const record = await readModelRecord(dir);
    expect(record?.files.map((file) => file.path).sort()).toEqual(onlyFp32.sort());
    expect(record?.files.find((file) => file.path === 'config.json')?.sha256).toBe(
      sha256(files['config.json']!),
    );
    expect(record?.source).toMatchObject({ kind: 'download', catalogueId: FAKE_MODEL_ID });
    expect((await verifyModel(dir)).ok).toBe(true);
    expect(await locateModel({ modelDir: dir })).toBe(dir);

    const total = onlyFp32.reduce((sum, file) => sum + files[file]!.length, 0);
    expect(progress.at(-1)).toEqual([total, total]);
  });

  it("records the catalogue's learned scoring, which the folder's files then give where its config states none", async () => {
    // The fake model's preprocessing is a stub: a real one lets its folder be read.
    const preprocessor = Buffer.from(JSON.stringify(clipPreprocessorConfig(224)));
    catalogue = await serveFakeCatalogue({ ...files, 'preprocessor_config.json': preprocessor });
    const stated = { ...findModelEntry(catalogue.manifest, FAKE_MODEL_ID), scoring: 'sigmoid' as const };
    const installed = await downloadModel({ ...stated, logitScale: 117.3, logitBias: -12.9 }, home, quick);
    expect((await readModelRecord(installed.path))?.scoring).toEqual({
      kind: 'sigmoid',
      scale: 117.3,
      bias: -12.9,
    });
    expect((await readModelFiles(installed.path)).scoring).toEqual({
      kind: 'sigmoid',
      scale: 117.3,
      bias: -12.9,
    });
    // Without one the record says nothing, and the model scores as CLIP does.
    const plain = await downloadModel(
      findModelEntry(catalogue.manifest, FAKE_MODEL_ID),
      path.join(home, 'plain'),
      quick,
    );
    expect((await readModelRecord(plain.path))?.scoring).toBeUndefined();
    expect((await readModelFiles(plain.path)).scoring).toEqual(CLIP_SCORING);
  });

  it('adds the quantized encoders with --quantized, fetching nothing it already has', async () => {
    catalogue = await serveFakeCatalogue(files);
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    await downloadModel(entry, home, quick);
    catalogue.server.log.length = 0;

    const installed = await downloadModel(entry, home, { ...quick, quantized: true });
    expect(installed.added.sort()).toEqual([
      'onnx/text_model_quantized.onnx',
      'onnx/vision_model_quantized.onnx',
    ]);
    expect(gets(catalogue).sort()).toEqual([
      '/cdn/repo/resolve/main/onnx/text_model_quantized.onnx',
      '/cdn/repo/resolve/main/onnx/vision_model_quantized.onnx',
    ]);
    expect(installed.files).toHaveLength(Object.keys(files).length);
    const [listing] = await listModels(catalogue.manifest, home);
    expect(listing).toMatchObject({ id: FAKE_MODEL_ID, state: 'installed', variants: ['fp32', 'quantized'] });
  });

  it('lists an interrupted download of the other variant as partial, and the next download finishes it', async () => {
    catalogue = await serveFakeCatalogue(files);
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    await downloadModel(entry, home, quick);
    const quantizedVision = catalogue.server.files.get(
      '/repo/resolve/main/onnx/vision_model_quantized.onnx',
    )!;
    quantizedVision.faults = Array.from({ length: 5 }, () => ({ kind: 'cut' as const, afterBytes: 10 }));
    await expect(downloadModel(entry, home, { ...quick, retries: 0, quantized: true })).rejects.toThrow();
    const [interrupted] = await listModels(catalogue.manifest, home);
    expect(interrupted).toMatchObject({ state: 'partial', variants: ['fp32'] });
    expect(interrupted?.problem).toMatch(/1 file partly downloaded/);

    quantizedVision.faults = [];
    const installed = await downloadModel(entry, home, quick);
    expect(installed.added).toContain('onnx/vision_model_quantized.onnx');
    const [listing] = await listModels(catalogue.manifest, home);
    expect(listing).toMatchObject({ state: 'installed', variants: ['fp32', 'quantized'] });
    expect(listing?.problem).toBeUndefined();
  });

  it('refuses the whole model up front when one file has no hash anywhere', async () => {
    catalogue = await serveFakeCatalogue(files, {
      tweak: (file, served) => {
        if (file === 'tokenizer_config.json') served.etag = '"17-5f3a2b"';
      },
    });
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    const error = await downloadModel(entry, home, quick).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClipSortError);
    expect((error as ClipSortError).code).toBe('download-unverifiable');
    expect((error as ClipSortError).message).toContain('tokenizer_config.json');
    expect(catalogue.server.log.every((entry) => entry.method === 'HEAD')).toBe(true);
  });

  it('uses the sha256s in the catalogue without asking the server', async () => {
    catalogue = await serveFakeCatalogue(files, { withSha256: true });
    await downloadModel(findModelEntry(catalogue.manifest, FAKE_MODEL_ID), home, quick);
    expect(catalogue.server.log.some((entry) => entry.method === 'HEAD')).toBe(false);
  });

  it('finishes an interrupted model download, keeping the files already verified', async () => {
    catalogue = await serveFakeCatalogue(files, {
      tweak: (file, served) => {
        if (file === 'onnx/vision_model.onnx') served.faults = [{ kind: 'status', status: 404 }];
      },
    });
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    // Files are fetched in catalogue order: the vision encoder comes first and fails.
    await expect(downloadModel(entry, home, quick)).rejects.toThrow(/HTTP 404/);
    const [interrupted] = await listModels(catalogue.manifest, home);
    expect(interrupted?.state).toBe('partial');
    expect(await readModelRecord(path.join(home, FAKE_MODEL_ID))).toBeUndefined();

    // Second try: fail the text encoder, after the vision encoder has made it.
    catalogue.server.files.get('/repo/resolve/main/onnx/text_model.onnx')!.faults = [
      { kind: 'status', status: 404 },
    ];
    await expect(downloadModel(entry, home, quick)).rejects.toThrow(/text_model\.onnx/);

    catalogue.server.log.length = 0;
    const installed = await downloadModel(entry, home, quick);
    expect(installed.added).not.toContain('onnx/vision_model.onnx');
    expect(gets(catalogue)).not.toContain('/cdn/repo/resolve/main/onnx/vision_model.onnx');
    const [listing] = await listModels(catalogue.manifest, home);
    expect(listing).toMatchObject({ state: 'installed', variants: ['fp32'], source: 'download' });
  });

  it('refuses to download into a folder a live process is working on, and takes over a stale lock', async () => {
    catalogue = await serveFakeCatalogue(files);
    const entry = findModelEntry(catalogue.manifest, FAKE_MODEL_ID);
    const lock = path.join(home, FAKE_MODEL_ID, '.clipsort.lock');
    await mkdir(path.dirname(lock), { recursive: true });
    await writeFile(lock, String(process.ppid)); // alive: the process that started this test
    await expect(downloadModel(entry, home, quick)).rejects.toThrow(/Another ClipSort process \(pid \d+\)/);

    await writeFile(lock, String(spawnSync(process.execPath, ['-e', '']).pid)); // a process that has exited
    await downloadModel(entry, home, quick);
    expect(existsSync(lock)).toBe(false);
  });
});
