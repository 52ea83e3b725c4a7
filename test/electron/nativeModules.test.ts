import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureLoads,
  loadFailure,
  sqliteLoads,
  type ProbeResult,
} from '../../electron/shell/nativeModules.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

/** What Node prints when a native module was built for another ABI. */
const ABI_ERROR =
  "Error: The module '/x/better_sqlite3.node'\n" +
  'was compiled against a different Node.js version using\n' +
  'NODE_MODULE_VERSION 140. This version of Node.js requires\n' +
  'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing';

describe('better-sqlite3 under Node', () => {
  it('loads here, as the tests need it', () => {
    expect(sqliteLoads(process.execPath)).toEqual({ loads: true, error: '' });
  });

  it('reports a module that does not load, with the runtime’s own message', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'node_modules/better-sqlite3'), { recursive: true });
    await writeFile(
      path.join(dir, 'node_modules/better-sqlite3/index.js'),
      `throw new Error(${JSON.stringify(ABI_ERROR)});`,
    );
    const probe = sqliteLoads(process.execPath, { cwd: dir });
    expect(probe.loads).toBe(false);
    expect(loadFailure(probe.error)).toBe('built for NODE_MODULE_VERSION 140, this runtime needs 115');
    expect(loadFailure('Error: libfoo.so: cannot open shared object file\n    at x')).toBe(
      'Error: libfoo.so: cannot open shared object file',
    );
  });
});

describe('ensureLoads', () => {
  /** Steps whose probe answers from `answers` in turn; records what was done. */
  function steps(answers: boolean[], rebuildStatus = 0) {
    const done: string[] = [];
    const probe = (): ProbeResult => {
      const loads = answers.shift() ?? false;
      done.push(`probe:${loads}`);
      return { loads, error: loads ? '' : ABI_ERROR };
    };
    return {
      done,
      steps: {
        probe,
        rebuild: () => (done.push('rebuild'), rebuildStatus),
        say: (line: string) => void done.push(`say:${line}`),
      },
    };
  }

  it('rebuilds nothing when the module loads', () => {
    const { done, steps: s } = steps([true]);
    expect(ensureLoads('Node', s)).toBe(0);
    expect(done).toEqual(['probe:true']);
  });

  it('rebuilds once when it does not load, and checks again', () => {
    const { done, steps: s } = steps([false, true]);
    expect(ensureLoads('Node', s)).toBe(0);
    expect(done).toEqual([
      'probe:false',
      'say:better-sqlite3 does not load under Node (built for NODE_MODULE_VERSION 140, this runtime needs 115); ' +
        'rebuilding it for Node.',
      'rebuild',
      'probe:true',
    ]);
  });

  it('fails with the reason when the rebuild fails or does not help', () => {
    const failed = steps([false], 7);
    expect(ensureLoads('Electron', failed.steps)).toBe(7);
    expect(failed.done.at(-1)).toBe('say:Rebuilding better-sqlite3 failed (exit code 7).');
    const useless = steps([false, false]);
    expect(ensureLoads('Node', useless.steps)).toBe(1);
    expect(useless.done.at(-1)).toMatch(
      /^say:better-sqlite3 still does not load under Node: built for NODE_MODULE_VERSION 140/,
    );
  });
});
