import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath } from '../helpers/cli.js';
import { colourModelDir } from '../helpers/colourLibrary.js';

export interface ServeProcess {
  /** The first line printed: the address with its token. */
  url: string;
  origin: string;
  token: string;
  port: number;
  stderr: string[];
  child: ChildProcess;
  /** Sends SIGINT and resolves with the exit code (rejects after `ms`). */
  stop(ms?: number): Promise<number | null>;
}

export interface ServeOptions {
  /** The model folder to pass as `--model-dir` (the colour model unless set); null passes none. */
  modelDir?: string | null;
  /** Variables added to the environment (say, a models home and catalogue of the test's own). */
  env?: NodeJS.ProcessEnv;
}

/** Runs `clipsort serve <root>` on the colour model and waits for its first line. */
export function startServe(
  root: string,
  args: string[] = [],
  ms = 30_000,
  options: ServeOptions = {},
): Promise<ServeProcess> {
  const modelDir = options.modelDir === undefined ? colourModelDir : options.modelDir;
  const child = spawn(
    process.execPath,
    [
      cliPath,
      'serve',
      root,
      ...(modelDir === null ? [] : ['--model-dir', modelDir]),
      '--threads',
      '1',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLIPSORT_MODEL_DIR: '', ...options.env } },
  );
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = (limit = 20_000) => {
    child.kill('SIGINT');
    return Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error('clipsort serve did not stop'));
        }, limit),
      ),
    ]);
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no address within ${ms} ms: ${stderr.join('')}`));
    }, ms);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const newline = output.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      const url = output.slice(0, newline);
      const parsed = new URL(url);
      resolve({
        url,
        origin: parsed.origin,
        token: parsed.searchParams.get('token') ?? '',
        port: Number(parsed.port),
        stderr,
        child,
        stop,
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`clipsort serve exited ${code}: ${stderr.join('')}`));
    });
  });
}
