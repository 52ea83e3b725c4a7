/**
 * better-sqlite3 is the one native module built for a single ABI at a time (sharp and onnxruntime-node use
 * Node-API): `npm start` builds it for Electron, the tests and the command line need it built for Node. These
 * checks load it in a separate process under the runtime in question, so that nothing is rebuilt when it already
 * loads, and it is rebuilt for the right runtime when it does not.
 */
import { spawnSync } from 'node:child_process';

/** Loads better-sqlite3 and opens an in-memory database: what the engine does first with it. */
const PROBE = "require('better-sqlite3')(':memory:').close()";

export interface ProbeResult {
  loads: boolean;
  /** Why it does not load (the runtime's own message), or empty. */
  error: string;
}

/** Whether better-sqlite3 loads under `runtime` (a Node binary, or Electron's run as Node), from `cwd`. */
export function sqliteLoads(
  runtime: string = process.execPath,
  options: { cwd?: string; env?: NodeJS.ProcessEnv; probe?: string } = {},
): ProbeResult {
  const run = spawnSync(runtime, ['-e', options.probe ?? PROBE], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
  });
  if (run.status === 0) return { loads: true, error: '' };
  const error = (run.stderr || run.error?.message || `exit code ${run.status}`).trim();
  return { loads: false, error };
}

/** Why a load failed, in one line: the two ABIs where it names them, else the error's first line. */
export function loadFailure(error: string): string {
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(error);
  if (abi) return `built for NODE_MODULE_VERSION ${abi[1]}, this runtime needs ${abi[2]}`;
  const lines = error.split('\n').map((line) => line.trim());
  return lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.find(Boolean) ?? error;
}

export interface EnsureSteps {
  probe: () => ProbeResult;
  rebuild: () => number;
  say: (line: string) => void;
}

/**
 * Makes sure better-sqlite3 loads: nothing is done when it does; otherwise it is rebuilt once and checked again.
 * Returns the exit status for the caller (0: it loads now).
 */
export function ensureLoads(runtimeName: string, steps: EnsureSteps): number {
  const first = steps.probe();
  if (first.loads) return 0;
  steps.say(
    `better-sqlite3 does not load under ${runtimeName} (${loadFailure(first.error)}); rebuilding it for ${runtimeName}.`,
  );
  const status = steps.rebuild();
  if (status !== 0) {
    steps.say(`Rebuilding better-sqlite3 failed (exit code ${status}).`);
    return status;
  }
  const second = steps.probe();
  if (second.loads) return 0;
  steps.say(`better-sqlite3 still does not load under ${runtimeName}: ${loadFailure(second.error)}`);
  return 1;
}
