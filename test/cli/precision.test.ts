import { cp, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort } from '../helpers/cli.js';
import { addColourPhotos, colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { walk } from '../helpers/tree.js';

describe('clipsort sort --precision', () => {
  const tempDir = useTempDirs();

  async function modelCopy(): Promise<string> {
    const dir = await tempDir();
    await cp(colourModelDir, dir, { recursive: true });
    return dir;
  }

  async function library(perColour: number): Promise<string> {
    const root = await tempDir();
    await makeColourLibrary(root);
    await addColourPhotos(root, perColour);
    return root;
  }

  const sort = (root: string, model: string, ...more: string[]) =>
    runClipsort(['sort', root, '--model-dir', model, '--mode', 'avg', ...more]);

  it('sorts in int8 as fp32 does once the check on the photos passes, keeping the int8 file it made', async () => {
    const model = await modelCopy();
    const [full, eight] = [await library(7), await library(7)];
    expect(sort(full, model)).toMatchObject({ code: 0, stderr: '' });
    expect(sort(eight, model, '--precision', 'int8')).toMatchObject({ code: 0, stderr: '' });
    const filed = await walk(path.join(full, 'Dataset'));
    expect(filed.length).toBeGreaterThan(24);
    expect(await walk(path.join(eight, 'Dataset'))).toEqual(filed);
    expect((await stat(path.join(model, 'onnx/vision_model.int8.onnx'))).size).toBeGreaterThan(0);
    expect(await readdir(path.join(model, 'onnx'))).toContain('vision_model.int8.json');
  }, 120_000);

  it('says why int8 was refused and sorts in full precision', async () => {
    const [root, model] = [await tempDir(), await modelCopy()];
    const expected = await makeColourLibrary(root);
    const sorted = sort(root, model, '--precision', 'int8');
    expect(sorted.code, sorted.stderr).toBe(0);
    expect(sorted.stderr).toMatch(/^clipsort: int8 .*at least 32 .*has 20; full precision is used/);
    expect(await walk(path.join(root, 'Dataset'))).toHaveLength(expected.length);
  }, 120_000);

  it('refuses a precision it does not know as a usage error, moving nothing', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const before = await walk(path.join(root, 'Images'));
    const result = sort(root, colourModelDir, '--precision', 'int16');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/int16.*fp32, int8/s);
    expect(await walk(path.join(root, 'Images'))).toEqual(before);
  });
});
