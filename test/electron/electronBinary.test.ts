/**
 * Checks that need the Electron binary. Where it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD), they are
 * skipped with that reason; the rest of test/electron/ covers what can be checked without it.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../electron/shell/electronBinary.js';

const binary = electronBinary();
const asNode = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
const runAsNode = (code: string) => spawnSync(binary!, ['-e', code], { env: asNode, encoding: 'utf8' });

describe.skipIf(!binary)('under the Electron binary', () => {
  it('is the pinned Electron version', () => {
    const { version } = createRequire(import.meta.url)('electron/package.json') as { version: string };
    const run = runAsNode('console.log(process.versions.electron)');
    expect(run.stdout.trim()).toBe(version);
  });

  it('loads the Node-API native modules (sharp, onnxruntime-node) without a rebuild', () => {
    const run = runAsNode("require('sharp'); require('onnxruntime-node'); console.log('ok')");
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('ok');
  });
});

describe.runIf(!binary)('without the Electron binary', () => {
  it('npm start says how to get it, or to use the browser, before building anything', () => {
    const run = spawnSync('npm', ['start'], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No Electron binary');
    expect(run.stderr).toContain('npx clipsort serve <library>');
    // Nothing was built: the build's first step never ran.
    expect(run.stdout).not.toContain('tsc -p tsconfig.build.json');
  });
});
