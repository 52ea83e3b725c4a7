import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runClipsort, type CliResult } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** A usage error: exit code 2 and one line `clipsort: …`, with at most a hint; no stack, no help page. */
function expectUsageError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const [line, hint, ...more] = result.stderr.trimEnd().split('\n');
  expect(line).toMatch(/^clipsort: /);
  expect(line).toMatch(message);
  expect(hint ?? '').toMatch(/^(\(see clipsort [a-z ]*--help\)|\(Did you mean .*\?\))?$/);
  expect(more).toEqual([]);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('Usage:');
}

// The values are refused while the command line is parsed, before any library is opened: `lib` need not exist.
const badValues: [string[], RegExp][] = [
  [['sort', 'lib', '--threshold', 'abc'], /'--threshold <t>' argument 'abc'.*a score from -1 to 1/],
  [['sort', 'lib', '--threshold', '1.5'], /a score from -1 to 1/],
  [['classify', 'lib', '--threshold', 'high'], /'--threshold <score>' argument 'high'.*from -1 to 1/],
  [['sort', 'lib', '--margin', 'x'], /'--margin <m>' argument 'x'.*a margin from 0 to 2/],
  [['classify', 'lib', '--margin', '3'], /a margin from 0 to 2/],
  [['sort', 'lib', '--quiet', '-1'], /'--quiet <seconds>' argument '-1'.*0 to 600 seconds/],
  [['watch', 'lib', '--quiet', '601'], /0 to 600 seconds/],
  [['sort', 'lib', '--mode', 'nonsense'], /'--mode <mode>' argument 'nonsense'.*Allowed choices are avg/],
  [['classify', 'lib', '--mode', 'nonsense'], /Allowed choices are avg/],
  [['sort', 'lib', '--provider', 'nonsense'], /'--provider <name...>'.*Allowed choices are cpu/],
  [['sort', 'lib', '--threads', '0'], /'--threads <n>' argument '0'.*a whole number ≥ 1/],
  [['classify', 'lib', '--alpha', '-1'], /'--alpha <weight>' argument '-1'.*a number ≥ 0/],
  [['classify', 'lib', '--beta', 'x'], /'--beta <sharpness>' argument 'x'.*a number ≥ 0/],
  [['search', 'lib', 'dog', '--limit', '0'], /'--limit <n>' argument '0'.*a whole number ≥ 1/],
  [['search', 'lib', 'dog', '--limit', '2.5'], /a whole number ≥ 1/],
  [['embed', 'lib', '--batch', '0'], /'--batch <n>' argument '0'.*a whole number ≥ 1/],
  [['undo', 'lib', '--last', 'abc'], /'--last <n>' argument 'abc'.*a whole number ≥ 1/],
  [['duplicates', 'lib', '--threshold', '0.3'], /argument '0\.3'.*a similarity from 0\.5 to 1/],
  [['serve', 'lib', '--port', 'abc'], /'--port <n>' argument 'abc'.*a port from 0 to 65535/],
  [['serve', 'lib', '--port', '65536'], /a port from 0 to 65535/],
  [['sort', 'lib', '--threshold'], /option '--threshold <t>' argument missing/],
  [['eval', 'lib', '--captions'], /option '--captions <file>' argument missing/],
  [['debug', 'tensor', 'x.png'], /required option '--out <file>' not specified/],
  [['sort', 'lib', '--bogus'], /unknown option '--bogus'/],
  [['sort', 'lib', '--treshold', '0.5'], /unknown option '--treshold'/],
  [['sort'], /missing required argument 'library'/],
  [['search', 'lib'], /missing required argument 'text'/],
  [['sort', 'lib', 'extra'], /too many arguments for 'sort'/],
  [['nonsense'], /unknown command 'nonsense'/],
  [['eval', 'lib'], /Give one of --captions FILE, --classes or --promise/],
];

describe('clipsort given a bad option, argument or value', () => {
  const tempDir = useTempDirs();

  it.each(badValues)('%j: says what is wrong in one line and exits 2', (args, message) => {
    expectUsageError(runClipsort(args), message);
  });

  it.each([
    [['undo', '--last', '20000'], /^clipsort: moves\.undo: last: /],
    [['classify', '--alpha', '5000'], /^clipsort: sort\.preview: alpha: /],
  ])('%j: a value the command table refuses is a usage error too', async ([command, ...rest], message) => {
    const root = await tempDir();
    expect(runClipsort(['init', root]).code).toBe(0);
    const result = runClipsort([command!, root, ...rest]);
    expectUsageError(result, message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('clipsort', () => {
  const tempDir = useTempDirs();

  it.each([[['--help']], [['sort', '--help']], [['help', 'sort']]])(
    '%j prints the help and exits 0',
    (args) => {
      const result = runClipsort(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: clipsort/);
      expect(result.stderr).toBe('');
    },
  );

  it('exits 1 for a command that fails, and suggests making a library of a folder that is not one', async () => {
    const root = await tempDir();
    const result = runClipsort(['status', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `clipsort: ${root} is not a ClipSort library: it has no Images/ folder (a library holds Images/, ` +
        `Classes/ and Dataset/). To make it one, run: clipsort init ${root}\n`,
    );
  });

  it('ends quietly when the reader closes the pipe (`| head -1`)', async () => {
    const root = await tempDir();
    const staging = await tempDir();
    await makeColourLibrary(root);
    const child = spawn(
      process.execPath,
      [cliPath, 'watch', root, '--json', '--model-dir', colourModelDir, '--threads', '1', '--quiet', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLIPSORT_MODEL_DIR: '' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (code, signal) => resolve([code, signal])),
    );
    try {
      await once(child.stdout, 'data');
      child.stdout.destroy();
      // Whatever the watcher had left to print, the line for this image meets the closed pipe.
      await writeColourImage(path.join(staging, 'late.png'), COLOURS.red![0]!);
      await rename(path.join(staging, 'late.png'), path.join(root, 'Images', 'late.png'));
      const [code, signal] = await exited;
      expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
      expect(code === 0 || signal === 'SIGPIPE').toBe(true);
    } finally {
      child.kill();
    }
  });
});
