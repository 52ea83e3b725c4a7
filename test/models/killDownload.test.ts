import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { partialPaths } from '../../electron/engine/models/download.js';
import { sha256, startFileServer, testBytes, type FileServer } from '../helpers/fileServer.js';
import { makeScratchDir } from '../helpers/modelFolders.js';

const SIZE = 2 * 1024 * 1024;
const body = testBytes(SIZE, 3);
const childScript = path.join(import.meta.dirname, '..', 'helpers', 'downloadInChild.ts');

let server: FileServer;
let dir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove: removeDir } = await makeScratchDir());
  server = await startFileServer({ '/big.onnx': { body, throttle: { chunkBytes: 32 * 1024, delayMs: 10 } } });
});
afterEach(async () => {
  await server.close();
  await removeDir();
});

/**
 * Runs the download in a child process. With `killAt`, kills it with SIGKILL once it reports that many bytes;
 * resolves to its exit code (null when killed) and its output.
 */
function runChild(dest: string, killAt?: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, `${server.url}/big.onnx`, dest, sha256(body)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000); // never outlive the test
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
    const last = [...output.matchAll(/progress (\d+)/g)].at(-1);
    if (killAt !== undefined && last && Number(last[1]) >= killAt) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

it('never leaves a file at the final path when killed with SIGKILL, and resumes on the next run', async () => {
  const dest = path.join(dir, 'big.onnx');

  const first = await runChild(dest, SIZE / 4);
  expect(first.code).toBeNull();
  expect(existsSync(dest)).toBe(false);
  const afterFirst = (await stat(partialPaths(dest).part)).size;
  expect(afterFirst).toBeGreaterThan(0);
  expect(afterFirst).toBeLessThan(SIZE);

  const second = await runChild(dest, (SIZE * 3) / 4);
  expect(second.code).toBeNull();
  expect(existsSync(dest)).toBe(false);
  const afterSecond = (await stat(partialPaths(dest).part)).size;
  expect(afterSecond).toBeGreaterThan(afterFirst);

  server.files.get('/big.onnx')!.throttle = undefined;
  const third = await runChild(dest);
  expect(third.output).toContain(`done ${sha256(body)}`);
  expect(third.code).toBe(0);
  expect(sha256(await readFile(dest))).toBe(sha256(body));
  expect(existsSync(partialPaths(dest).part)).toBe(false);

  const ranges = server.log.map((entry) => entry.range);
  expect(ranges[0]).toBeUndefined();
  expect(ranges.slice(1)).toEqual([`bytes=${afterFirst}-`, `bytes=${afterSecond}-`]);
  // Each run fetched only what was missing (plus what was in flight when it was killed).
  expect(server.log.reduce((sum, entry) => sum + entry.bytesSent, 0)).toBeLessThan(SIZE * 1.5);
}, 30_000);
