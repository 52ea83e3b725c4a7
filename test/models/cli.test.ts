import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerModelsCommand } from '../../electron/cli/models.js';
import { FAKE_MODEL_ID, serveFakeCatalogue, type FakeCatalogue } from '../helpers/fakeCatalogue.js';
import { fakeModelFiles, makeScratchDir, writeModelFolder } from '../helpers/modelFolders.js';

const root = path.join(import.meta.dirname, '..', '..');

let catalogue: FakeCatalogue;
let scratch: string;
let env: NodeJS.ProcessEnv;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: scratch, remove: removeDir } = await makeScratchDir());
  catalogue = await serveFakeCatalogue(fakeModelFiles({ quantized: true }));
  env = {
    CLIPSORT_MANIFEST: await catalogue.writeTo(scratch),
    CLIPSORT_MODELS_HOME: path.join(scratch, 'home'),
  };
});
afterEach(async () => {
  process.exitCode = undefined;
  await catalogue.server.close();
  await removeDir();
});

/** Runs `clipsort …` in this process; resolves to what it printed and the exit code it set. */
async function clipsort(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
  let stdout = '';
  const program = new Command('clipsort').option('--model-dir <dir>').option('--json').exitOverride();
  registerModelsCommand(program, { stdout: (text) => (stdout += text), env });
  await program.parseAsync(['node', 'clipsort', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout, exitCode };
}

/** The fake catalogue with a second, multilingual model besides the default. */
async function withMultilingualModel(): Promise<void> {
  const json = catalogue.json as { models: Array<Record<string, unknown>> };
  const multilingual = {
    ...json.models[0],
    id: 'fake-multilingual',
    name: 'Fake multilingual CLIP',
    languages: ['en', 'es', 'fr'],
    strengths: ['multilingual', 'best-spanish'],
  };
  await writeFile(
    env.CLIPSORT_MANIFEST!,
    JSON.stringify({ ...json, models: [...json.models, multilingual] }),
  );
}

describe('clipsort models', () => {
  it('downloads a model end to end through the real command line', async () => {
    await withMultilingualModel();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/cli.ts', '--json', 'models', 'download', FAKE_MODEL_ID],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const installed = JSON.parse(stdout) as { id: string; path: string; files: unknown[] };
    expect(installed).toMatchObject({
      id: FAKE_MODEL_ID,
      path: path.join(env.CLIPSORT_MODELS_HOME!, FAKE_MODEL_ID),
    });
    expect(installed.files).toHaveLength(6);

    const imported = await writeModelFolder(path.join(scratch, 'mine'), fakeModelFiles());
    await clipsort('models', 'import', imported, '--id', 'my-model');
    const listed = JSON.parse((await clipsort('--json', 'models', 'list')).stdout) as {
      models: Array<Record<string, unknown>>;
    };
    // The model downloaded first is the one in use; the one imported after it is installed, not used.
    expect(listed.models).toEqual([
      expect.objectContaining({
        id: FAKE_MODEL_ID,
        name: 'Fake CLIP',
        languages: ['en'],
        installed: true,
        inUse: true,
        state: 'installed',
        variants: ['fp32'],
        layout: 'transformers.js',
      }),
      expect.objectContaining({
        id: 'fake-multilingual',
        languages: ['en', 'es', 'fr'],
        installed: false,
        inUse: false,
        state: 'not-installed',
        strengths: ['multilingual', 'best-spanish'],
      }),
      expect.objectContaining({ id: 'my-model', installed: true, inUse: false, source: 'import' }),
    ]);
    // What an imported model's folder does not say is left out, not guessed.
    expect(listed.models[2]).not.toHaveProperty('languages');
    expect(Object.keys(listed.models[0]!).slice(0, 5)).toEqual([
      'id',
      'name',
      'languages',
      'installed',
      'inUse',
    ]);

    const text = (await clipsort('models', 'list')).stdout;
    expect(text).toMatch(/^\* fake-clip +Fake CLIP — installed \(fp32, .*\) \[default\]\n +English · MIT$/m);
    expect(text).toMatch(
      /^ {2}fake-multilingual +Fake multilingual CLIP — not installed\n +3 languages \(English, Spanish, French, …\) · multilingual, best for Spanish folder names · MIT$/m,
    );
    expect(text).toMatch(/^ {2}my-model +imported — installed \(fp32, .*\)\n(?! )/m);
    expect(await clipsort('models', 'verify', FAKE_MODEL_ID)).toEqual({
      stdout: `${FAKE_MODEL_ID}: all 6 files match (${installed.path}).\n`,
      exitCode: 0,
    });
  }, 30_000);

  it('prints a short summary without --json, and adds the quantized encoders with --quantized', async () => {
    const first = await clipsort('models', 'download', FAKE_MODEL_ID);
    expect(first.stdout).toMatch(
      /^Installed fake-clip at .*: 6 files, [\d.]+ kB, sha256 verified \(6 downloaded\)\.\n$/,
    );
    const second = await clipsort('models', 'download', '--quantized');
    expect(second.stdout).toMatch(/8 files, .* \(2 downloaded, 6 already there\)/);
    expect((await clipsort('models', 'list')).stdout).toContain(
      'fake-clip  Fake CLIP — installed (fp32 + quantized',
    );
  });

  it('imports a folder, and verify exits 1 naming a file changed since', async () => {
    const source = await writeModelFolder(path.join(scratch, 'mine'), fakeModelFiles());
    const imported = await clipsort('models', 'import', source, '--id', 'my-model');
    expect(imported.stdout).toMatch(/^Imported my-model into .*my-model: 6 files/);
    await expect(clipsort('models', 'import', source, '--id', 'my-model')).rejects.toThrow(/--force/);

    await writeFile(path.join(env.CLIPSORT_MODELS_HOME!, 'my-model', 'tokenizer.json'), '{"tampered": 1}');
    const verified = await clipsort('models', 'verify', 'my-model');
    expect(verified.exitCode).toBe(1);
    expect(verified.stdout).toContain('my-model: 1 of 6 files is damaged');
    expect(verified.stdout).toContain('  modified  tokenizer.json (size differs)');

    const json = JSON.parse((await clipsort('--json', 'models', 'verify', 'my-model')).stdout) as {
      ok: boolean;
    };
    expect(json.ok).toBe(false);
    expect((await clipsort('models', 'list')).stdout).toMatch(
      /my-model +imported — partial: tokenizer\.json/,
    );
  });

  it('names the models there are for an unknown id', async () => {
    await expect(clipsort('models', 'download', 'nope')).rejects.toThrow(
      /no model nope in the catalogue.*fake-clip/,
    );
  });
});
