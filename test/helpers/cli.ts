import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './sharedFixtures.js';

/** The built command line, as `npm install` leaves it (`npm test` builds it first). */
export const cliPath = path.join(repoRoot, 'dist/electron/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `clipsort …` to completion. */
export function runClipsort(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CLIPSORT_MODEL_DIR: '', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `clipsort … --json` and parses its output, failing with stderr when it did not succeed. */
export function runClipsortJson<T>(args: readonly string[], env?: NodeJS.ProcessEnv): T {
  const result = runClipsort([...args, '--json'], env);
  if (result.code !== 0)
    throw new Error(`clipsort ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
