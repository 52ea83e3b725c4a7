import { existsSync } from 'node:fs';
import { appendFile, lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';
import { importModel } from '../../electron/engine/models/importModel.js';
import { readModelRecord } from '../../electron/engine/models/modelRecord.js';
import { verifyModel } from '../../electron/engine/models/verifyModel.js';
import { sha256, testBytes } from '../helpers/fileServer.js';
import { fakeModelFiles, makeScratchDir, writeModelFolder } from '../helpers/modelFolders.js';

let scratch: string;
let home: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: scratch, remove: removeDir } = await makeScratchDir());
  home = path.join(scratch, 'home');
});
afterEach(async () => {
  await removeDir();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClipSortError);
  return (error as ClipSortError).code;
}

describe('importModel', () => {
  it('copies the layout into the models home under the folder name and records every sha256', async () => {
    const files: Record<string, Buffer> = {
      ...fakeModelFiles({ quantized: true }),
      'README.md': Buffer.from('# not copied\n'),
    };
    const source = await writeModelFolder(path.join(scratch, 'my-clip'), files);
    await mkdir(path.join(source, 'onnx', 'extra'));
    await writeFile(path.join(source, 'onnx', 'model_fp16.onnx'), 'not one of ours');

    const installed = await importModel(source, home);
    expect(installed).toMatchObject({ id: 'my-clip', path: path.join(home, 'my-clip') });
    const record = await readModelRecord(installed.path);
    expect(record?.source).toEqual({ kind: 'import', path: source });
    const copied = Object.keys(files).filter((file) => file !== 'README.md');
    expect(record?.files.map((file) => file.path).sort()).toEqual(copied.sort());
    for (const file of record?.files ?? []) expect(file.sha256).toBe(sha256(files[file.path]!));
    expect(existsSync(path.join(installed.path, 'onnx', 'model_fp16.onnx'))).toBe(false);
    expect(await readdir(home)).toEqual(['my-clip']); // no staging folder left behind
    expect((await verifyModel(installed.path)).ok).toBe(true);
  });

  it('follows links, as in a Hugging Face cache snapshot, and copies the content', async () => {
    const blobs = await writeModelFolder(path.join(scratch, 'blobs'), fakeModelFiles());
    const snapshot = path.join(scratch, 'snapshot');
    await mkdir(path.join(snapshot, 'onnx'), { recursive: true });
    for (const file of Object.keys(fakeModelFiles()))
      await symlink(path.join(blobs, file), path.join(snapshot, file));

    const installed = await importModel(snapshot, home, { id: 'from-cache' });
    expect((await lstat(path.join(installed.path, 'onnx', 'vision_model.onnx'))).isFile()).toBe(true);
    expect((await verifyModel(installed.path)).ok).toBe(true);
  });

  it('accepts a folder with only the quantized encoders', async () => {
    const source = await writeModelFolder(
      path.join(scratch, 'q'),
      fakeModelFiles({ fp32: false, quantized: true }),
    );
    const installed = await importModel(source, home);
    expect(installed.files.map((file) => file.path)).toContain('onnx/vision_model_quantized.onnx');
  });

  it('refuses a folder that is not in the layout, saying what is missing', async () => {
    const files = fakeModelFiles();
    delete files['onnx/text_model.onnx'];
    delete files['tokenizer.json'];
    const source = await writeModelFolder(path.join(scratch, 'broken'), files);
    await expect(importModel(source, home)).rejects.toThrow(
      /not a complete CLIP model folder in the transformers\.js layout: onnx\/text_model\.onnx, tokenizer\.json missing/,
    );
    expect(await codeOf(importModel(path.join(scratch, 'nowhere'), home))).toBe('model-invalid');
  });

  it('refuses a name that could leave the models home', async () => {
    const source = await writeModelFolder(path.join(scratch, 'ok'), fakeModelFiles());
    expect(await codeOf(importModel(source, home, { id: '../escape' }))).toBe('model-invalid');
    expect(await codeOf(importModel(source, home, { id: '.hidden' }))).toBe('model-invalid');
  });

  it('never replaces an installed model without force, and replaces it whole with force', async () => {
    const source = await writeModelFolder(path.join(scratch, 'clip'), fakeModelFiles());
    await importModel(source, home);
    await writeFile(path.join(source, 'config.json'), '{"changed": true}\n');

    await expect(importModel(source, home)).rejects.toThrow(/already installed.*--force/);
    expect(await readFile(path.join(home, 'clip', 'config.json'), 'utf8')).not.toContain('changed');

    await importModel(source, home, { force: true });
    expect(await readFile(path.join(home, 'clip', 'config.json'), 'utf8')).toContain('changed');
    expect(await readdir(home)).toEqual(['clip']);
    expect((await verifyModel(path.join(home, 'clip'))).ok).toBe(true);
  });

  it('cleans up after an import whose process died', async () => {
    await mkdir(home, { recursive: true });
    const abandoned = path.join(home, '.import-999999999-0badf00d-old');
    await mkdir(abandoned);
    const setAside = await writeModelFolder(
      path.join(home, '.replaced-999999999-0badf00d-kept'),
      fakeModelFiles(),
    );
    const source = await writeModelFolder(path.join(scratch, 'new'), fakeModelFiles());
    await importModel(source, home);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(setAside)).toBe(false);
    expect((await readdir(home)).sort()).toEqual(['kept', 'new']); // the set-aside model is put back
  });
});

describe('verifyModel', () => {
  it('reports each modified and missing file', async () => {
    const source = await writeModelFolder(path.join(scratch, 'clip'), fakeModelFiles());
    const { path: dir } = await importModel(source, home);

    const vision = path.join(dir, 'onnx', 'vision_model.onnx');
    const bytes = await readFile(vision);
    bytes[100] = (bytes[100] ?? 0) ^ 1; // same size, one bit different
    await writeFile(vision, bytes);
    await appendFile(path.join(dir, 'config.json'), ' ');
    await rm(path.join(dir, 'tokenizer.json'));

    const report = await verifyModel(dir);
    expect(report.ok).toBe(false);
    const bad = report.files.filter((file) => file.status !== 'ok');
    expect(bad.map((file) => [file.path, file.status])).toEqual([
      ['config.json', 'modified'],
      ['onnx/vision_model.onnx', 'modified'],
      ['tokenizer.json', 'missing'],
    ]);
    expect(bad[1]?.actual?.sha256).toBe(sha256(bytes));
    expect(report.files.find((file) => file.path === 'onnx/text_model.onnx')?.status).toBe('ok');
  });

  it('explains that a folder without a record cannot be verified', async () => {
    const dir = await writeModelFolder(path.join(scratch, 'bare'), { 'tokenizer.json': testBytes(10) });
    await expect(verifyModel(dir)).rejects.toThrow(/no clipsort-model\.json.*clipsort models import/);
  });
});
