/**
 * Runs the preload as Electron runs a sandboxed one: compiled with `tsconfig.preload.json`, then executed as a
 * function of `require`, `process`, `exports` and `module`, with fakes of `contextBridge` and `ipcRenderer`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../..');

/** The preload's CommonJS output, as `tsc -p tsconfig.preload.json` writes it. */
export function compilePreload(): string {
  const configPath = path.join(root, 'tsconfig.preload.json');
  const config: unknown = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file)).config;
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const source = readFileSync(path.join(root, 'electron/preload.ts'), 'utf8');
  return ts.transpileModule(source, { compilerOptions: parsed.options, fileName: 'preload.ts' }).outputText;
}

export interface FakeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (...args: unknown[]) => void): void;
}

export interface PreloadRun {
  /** What was exposed, by key. */
  exposed: Map<string, unknown>;
  /** The modules the preload asked for. */
  required: string[];
  exports: Record<string, unknown>;
}

/** Executes the compiled preload with `argv` and the fake `ipc`. */
export function compiledPreload(argv: string[] = [], ipc?: FakeIpc): PreloadRun {
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const fakeIpc: FakeIpc = ipc ?? {
    invoke: () => Promise.resolve(undefined),
    on: () => {},
    removeListener: () => {},
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: fakeIpc,
  };
  const fakeRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`A sandboxed preload cannot load ${name}.`);
  };
  const module = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function('require', 'process', 'exports', 'module', compilePreload()) as (
    ...args: unknown[]
  ) => void;
  run(fakeRequire, { argv }, module.exports, module);
  return { exposed, required, exports: module.exports };
}
