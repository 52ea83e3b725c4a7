import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECISION } from '../../electron/engine/classify/decision.js';
import { MODES } from '../../electron/engine/classify/scores.js';
import { preprocessImage } from '../../electron/engine/imaging/preprocess.js';
import { readPreprocessSpec } from '../../electron/engine/imaging/preprocessConfig.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

const model = ['--model-dir', colourModelDir];

interface EmbedJson {
  files: number;
  embedded: number;
  cached: number;
  errors: { file: string; error: string }[];
  imagesPerSecond: number;
}

describe('clipsort embed', () => {
  const tempDir = useTempDirs();

  it('embeds every image once, reports bad files by relative path, and caches', async () => {
    const root = await tempDir();
    await writeColourImage(path.join(root, 'a.jpg'), [200, 30, 30]);
    await writeColourImage(path.join(root, 'nested/dir/b.png'), [30, 200, 30], { seed: 2 });
    await writeColourImage(path.join(root, 'nested/c d ü.webp'), [30, 30, 200], { seed: 3 });
    await writeFile(path.join(root, 'nested/broken.jpg'), 'not really a jpeg');
    await writeFile(path.join(root, 'notes.txt'), 'ignored: not an image name');

    const first = runClipsortJson<EmbedJson>(['embed', root, ...model, '--batch', '2']);
    expect(first).toMatchObject({ files: 4, embedded: 3, cached: 0 });
    expect(first.errors).toEqual([
      { file: 'nested/broken.jpg', error: expect.stringMatching(/not an image/) as string },
    ]);
    expect(first.imagesPerSecond).toBeGreaterThan(0);

    const second = runClipsortJson<EmbedJson>(['embed', root, ...model]);
    expect(second).toMatchObject({ files: 4, embedded: 0, cached: 3 });
    expect(second.errors.map((e) => e.file)).toEqual(['nested/broken.jpg']);

    // A changed file is embedded again; a copy of known content is not.
    await writeColourImage(path.join(root, 'a.jpg'), [200, 200, 30], { seed: 9 });
    await writeFile(path.join(root, 'copy.png'), await readFile(path.join(root, 'nested/dir/b.png')));
    const third = runClipsortJson<EmbedJson>(['embed', root, ...model]);
    expect(third).toMatchObject({ files: 5, embedded: 1, cached: 3 });

    const text = runClipsort(['embed', root, ...model]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^5 images: 0 embedded, 4 already cached, 1 failed\n {2}.*not an image/);
  });

  it('says clearly when the folder does not exist', async () => {
    const result = runClipsort(['embed', path.join(await tempDir(), 'nope'), ...model]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^clipsort: The folder .*nope cannot be read/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('clipsort classify', () => {
  const tempDir = useTempDirs();

  interface ClassifyJson {
    predictions: { file: string; class: string; score: number; margin: number; review: boolean }[];
    fellBack: string[];
    decision: { threshold: number; margin: number };
  }

  it.each(MODES)('predicts every inbox image in %s mode and moves nothing', async (mode) => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const result = runClipsortJson<ClassifyJson>(['classify', root, ...model, '--mode', mode]);
    const byFile = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    expect(result.predictions.map((p) => [p.file, p.class]).sort(byFile)).toEqual(
      expected.map((e) => [e.file, e.colour]).sort(byFile),
    );
    expect(result.decision).toEqual(DEFAULT_DECISION[mode]);
    for (const p of result.predictions) {
      expect(p.review).toBe(p.score < result.decision.threshold || p.margin < result.decision.margin);
    }
    for (const e of expected) await expect(readFile(path.join(root, e.file))).resolves.toBeInstanceOf(Buffer);
  });

  it('says which images would wait for review under a stricter rule', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const args = ['classify', root, ...model, '--mode', 'hybrid', '--alpha', '0', '--threshold', '0.2'];
    const strict = runClipsortJson<ClassifyJson>([...args, '--margin', '1.5']);
    expect(strict.decision).toEqual({ threshold: 0.2, margin: 1.5 });
    expect(strict.predictions.every((p) => p.review)).toBe(true);

    const text = runClipsort([...args, '--margin', '1.5']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Images\/red-0\.jpg → review \(best guess red, score 1\.000, margin/m);
    expect(text.stdout).toMatch(/^12 of 12 would wait for review \(threshold 0\.2, margin 1\.5\)\.$/m);
  });

  it('refuses a threshold that is not a number', async () => {
    const result = runClipsort(['classify', await tempDir(), ...model, '--threshold', 'high']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^clipsort: .*--threshold.*'high'.*Expected a score from -1 to 1\./);
  });

  it('refuses a folder that is not a library, before loading any model', async () => {
    const result = runClipsort(['classify', await tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a ClipSort library: it has no Images\/ folder/);
  });
});

describe('clipsort with no model', () => {
  const tempDir = useTempDirs();

  it('prints one line that says how to get a model, never a stack trace', async () => {
    const home = await tempDir();
    const root = await tempDir();
    await makeColourLibrary(root);
    const result = runClipsort(['classify', root], { CLIPSORT_MODELS_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/clipsort models download clip-vit-base-patch32/);
  });
});

describe('clipsort debug', () => {
  const tempDir = useTempDirs();

  it('tensor writes exactly what the model receives', async () => {
    const dir = await tempDir();
    const image = path.join(dir, 'x.jpg');
    const bytes = await writeColourImage(image, [200, 100, 30], { width: 500, height: 300 });
    const out = path.join(dir, 'x.f32');
    const result = runClipsort(['debug', 'tensor', image, '--out', out, ...model]);
    expect(result.code).toBe(0);
    const written = await readFile(out);
    expect(written.length).toBe(3 * 224 * 224 * 4);
    const expected = await preprocessImage(bytes, await readPreprocessSpec(colourModelDir), 'x.jpg');
    expect(new Float32Array(written.buffer, written.byteOffset, written.length / 4)).toEqual(expected);
  });

  it('tokens prints the ids with start and end tokens', () => {
    const { ids } = runClipsortJson<{ ids: number[] }>(['debug', 'tokens', 'a RED photo', ...model]);
    const { ids: same } = runClipsortJson<{ ids: number[] }>([
      'debug',
      'tokens',
      '  a red   photo',
      ...model,
    ]);
    expect(ids).toEqual(same);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(ids[0]).not.toBe(ids.at(-1));
  });
});
