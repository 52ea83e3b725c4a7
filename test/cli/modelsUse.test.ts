import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';

interface Listed {
  models: { id: string; state: string; inUse: boolean }[];
}

describe('clipsort models import, use and list', () => {
  const tempDir = useTempDirs();

  it('sorts with a model imported under any name, and switches models with `models use`', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const env = { CLIPSORT_MODELS_HOME: path.join(await tempDir(), 'models') };

    // Before any model: sort says how to get one, and list says none is in use.
    const before = runClipsort(['sort', root, '--dry-run'], env);
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/clipsort models download|clipsort models import/);
    expect(runClipsort(['models', 'list'], env).stdout).toContain('No model is in use yet');

    const imported = runClipsort(['models', 'import', colourModelDir, '--id', 'my-colours'], env);
    expect(imported.code, imported.stderr).toBe(0);
    const sorted = runClipsort(['sort', root], env);
    expect(sorted.stderr).toBe('');
    expect(sorted.code).toBe(0);
    expect(await readdir(path.join(root, 'Dataset', 'red'))).not.toEqual([]);

    // A second model is installed, not used, until it is picked.
    expect(runClipsort(['models', 'import', colourModelDir, '--id', 'spare'], env).code).toBe(0);
    const listing = runClipsort(['models', 'list'], env).stdout;
    expect(listing).toMatch(/^\* my-colours +imported — installed/m);
    expect(listing).toMatch(/^ {2}spare +imported — installed/m);
    const used = runClipsort(['models', 'use', 'spare'], env);
    expect(used).toMatchObject({ code: 0, stderr: '' });
    expect(used.stdout).toBe(`Using spare (${path.join(env.CLIPSORT_MODELS_HOME, 'spare')}).\n`);
    const listed = runClipsortJson<Listed>(['models', 'list'], env);
    expect(listed.models.filter((m) => m.inUse).map((m) => m.id)).toEqual(['spare']);

    // A model that is not installed is refused (exit 1), a malformed name is a usage error (exit 2).
    const missing = runClipsort(['models', 'use', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^clipsort: nope is not installed in .*clipsort models list/);
    const malformed = runClipsort(['models', 'use', '../spare'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^clipsort: .*letters, digits/);
    expect(runClipsortJson<Listed>(['models', 'list'], env).models.find((m) => m.inUse)?.id).toBe('spare');
  }, 120_000);

  it('lists an interrupted download as partial, never as installed', async () => {
    const home = path.join(await tempDir(), 'models');
    const env = { CLIPSORT_MODELS_HOME: home };
    expect(runClipsort(['models', 'import', colourModelDir, '--id', 'colours'], env).code).toBe(0);
    // What an interrupted `models download --quantized` leaves next to the installed encoders.
    await mkdir(path.join(home, 'colours', 'onnx'), { recursive: true });
    await writeFile(path.join(home, 'colours', 'onnx', 'vision_model_quantized.onnx.part'), 'half');
    const listed = runClipsortJson<Listed>(['models', 'list'], env);
    expect(listed.models.find((m) => m.id === 'colours')).toMatchObject({ state: 'partial' });
    expect(runClipsort(['models', 'list'], env).stdout).toMatch(
      /colours .*partial: 1 file partly downloaded/,
    );
  }, 60_000);
});
