import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, partialPaths, type DownloadOptions } from '../../electron/engine/models/download.js';
import { ClipSortError } from '../../electron/engine/errors.js';
import {
  gitBlobSha1,
  sha256,
  startFileServer,
  testBytes,
  type FileServer,
  type ServedFile,
} from '../helpers/fileServer.js';
import { makeScratchDir } from '../helpers/modelFolders.js';

const SIZE = 256 * 1024;
const body = testBytes(SIZE);
const quick: DownloadOptions = { retryDelayMs: 5, idleTimeoutMs: 2000 };

let server: FileServer;
let dir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove: removeDir } = await makeScratchDir());
});
afterEach(async () => {
  await server?.close();
  await removeDir();
});

async function serve(file: Partial<ServedFile> = {}): Promise<string> {
  server = await startFileServer({ '/model.onnx': { body, ...file } });
  return `${server.url}/model.onnx`;
}

/** Compares by hash: deep equality over large buffers is slow. */
async function expectContent(file: string, expected: Buffer): Promise<void> {
  expect(sha256(await readFile(file))).toBe(sha256(expected));
}

async function expectError(
  promise: Promise<unknown>,
  code: string,
  message?: RegExp,
): Promise<ClipSortError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClipSortError);
  expect((error as ClipSortError).code).toBe(code);
  if (message) expect((error as ClipSortError).message).toMatch(message);
  return error as ClipSortError;
}

describe('downloadFile', () => {
  it('downloads and verifies a file, leaving no temporary files', async () => {
    const url = await serve();
    const dest = path.join(dir, 'onnx', 'model.onnx');
    const progress: number[] = [];
    const result = await downloadFile(url, dest, {
      ...quick,
      expectedSha256: sha256(body),
      onProgress: (done) => progress.push(done),
    });
    expect(result).toEqual({ path: dest, size: SIZE, sha256: sha256(body) });
    await expectContent(dest, body);
    expect(existsSync(partialPaths(dest).part)).toBe(false);
    expect(existsSync(partialPaths(dest).state)).toBe(false);
    expect(progress.at(-1)).toBe(SIZE);
  });

  it('resumes a cut transfer with a Range request instead of fetching everything again', async () => {
    const url = await serve({ faults: [{ kind: 'cut', afterBytes: SIZE / 2 }] });
    const dest = path.join(dir, 'model.onnx');
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });

    await expectContent(dest, body);
    const [first, second, ...rest] = server.contentRequests('/model.onnx');
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ status: 200, range: undefined, bytesSent: SIZE / 2 });
    // Bytes that arrived but were not yet read when the connection dropped are fetched again.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(SIZE / 2);
    expect(second).toMatchObject({ status: 206, ifRange: `"v1-${SIZE}"`, bytesSent: SIZE - resumedAt });
  });

  it('resumes after a stalled transfer once the idle timeout passes', async () => {
    const url = await serve({ faults: [{ kind: 'stall', afterBytes: SIZE / 4 }] });
    const dest = path.join(dir, 'model.onnx');
    await downloadFile(url, dest, { ...quick, idleTimeoutMs: 200, expectedSha256: sha256(body) });
    await expectContent(dest, body);
    expect(server.contentRequests('/model.onnx')[1]?.range).toBe(`bytes=${SIZE / 4}-`);
  });

  it('retries a server error and gives up with a clear message after the retries', async () => {
    const url = await serve({ faults: [{ kind: 'status', status: 503 }] });
    const dest = path.join(dir, 'model.onnx');
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);

    server.files.get('/model.onnx')!.faults = Array.from({ length: 5 }, () => ({
      kind: 'status',
      status: 500,
    }));
    const other = path.join(dir, 'again.onnx');
    await expectError(
      downloadFile(url, other, { ...quick, retries: 2, expectedSha256: sha256(body) }),
      'download-failed',
      /HTTP 500.*run the command again/,
    );
    expect(existsSync(other)).toBe(false);
  });

  it('fails at once, without retrying, on 404', async () => {
    server = await startFileServer({});
    await expectError(
      downloadFile(`${server.url}/missing.onnx`, path.join(dir, 'missing.onnx'), {
        ...quick,
        expectedSha256: sha256(body),
      }),
      'download-failed',
      /HTTP 404/,
    );
    expect(server.log).toHaveLength(1);
  });

  it('deletes a file with a flipped byte and leaves nothing at the final path', async () => {
    const url = await serve({ faults: [{ kind: 'flip', at: 1234 }] });
    const dest = path.join(dir, 'model.onnx');
    await expectError(
      downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) }),
      'download-corrupt',
      /download of model\.onnx was corrupted \(sha256 mismatch\).*run the command again/,
    );
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(partialPaths(dest).part)).toBe(false);
    expect(existsSync(partialPaths(dest).state)).toBe(false);

    // The next run starts clean and succeeds.
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);
  });

  it('rejects an HTML page served with 200', async () => {
    const url = await serve({ faults: [{ kind: 'html' }] });
    const dest = path.join(dir, 'model.onnx');
    await expectError(
      downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) }),
      'download-failed',
      /web page instead of model\.onnx/,
    );
    expect(existsSync(dest)).toBe(false);
  });

  it('starts again cleanly when a Range request is answered with the whole file', async () => {
    const url = await serve({ faults: [{ kind: 'cut', afterBytes: SIZE / 2 }, { kind: 'ignore-range' }] });
    const dest = path.join(dir, 'model.onnx');
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);
    const [, second] = server.contentRequests('/model.onnx');
    expect(second?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(second).toMatchObject({ status: 200, bytesSent: SIZE });
  });

  it('discards a stale partial when the server answers 416, and starts again once', async () => {
    const url = await serve();
    const dest = path.join(dir, 'model.onnx');
    // A partial longer than the file the server has now, as left by an earlier version of it.
    await writeFile(partialPaths(dest).part, testBytes(SIZE + 100, 7));
    await writeFile(
      partialPaths(dest).state,
      JSON.stringify({ url, digest: { algorithm: 'sha256', hex: sha256(body) }, validator: `"v1-${SIZE}"` }),
    );
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);
    expect(server.log.map((entry) => [entry.range, entry.status])).toEqual([
      [`bytes=${SIZE + 100}-`, 416],
      [undefined, 200],
    ]);
  });

  it('discards the partial after an injected 416 on a resume', async () => {
    const url = await serve({ faults: [{ kind: '416' }] });
    const dest = path.join(dir, 'model.onnx');
    await writeFile(partialPaths(dest).part, body.subarray(0, 1000));
    await writeFile(
      partialPaths(dest).state,
      JSON.stringify({ url, digest: { algorithm: 'sha256', hex: sha256(body) } }),
    );
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);
    expect(server.log.map((entry) => [entry.range, entry.status])).toEqual([
      ['bytes=1000-', 416],
      [undefined, 200],
    ]);
  });

  it('discards a partial saved for another version of the file', async () => {
    const url = await serve();
    const dest = path.join(dir, 'model.onnx');
    await writeFile(partialPaths(dest).part, body.subarray(0, 1000));
    await writeFile(
      partialPaths(dest).state,
      JSON.stringify({
        url,
        digest: { algorithm: 'sha256', hex: '0'.repeat(64) },
        validator: `"v1-${SIZE}"`,
      }),
    );
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    expect(server.log.map((entry) => entry.range)).toEqual([undefined]);
  });

  it('finishes from a complete partial without fetching it again', async () => {
    const url = await serve();
    const dest = path.join(dir, 'model.onnx');
    await writeFile(partialPaths(dest).part, body);
    await writeFile(
      partialPaths(dest).state,
      JSON.stringify({ url, digest: { algorithm: 'sha256', hex: sha256(body) } }),
    );
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body), expectedSize: SIZE });
    expect(server.log).toEqual([]);
    await expectContent(dest, body);
  });

  it('keeps the partial when cancelled, and resumes it on the next run', async () => {
    const url = await serve({ throttle: { chunkBytes: 16 * 1024, delayMs: 20 } });
    const dest = path.join(dir, 'model.onnx');
    const controller = new AbortController();
    const run = downloadFile(url, dest, {
      ...quick,
      expectedSha256: sha256(body),
      signal: controller.signal,
      onProgress: (done) => done >= SIZE / 4 && controller.abort(),
    });
    await expectError(run, 'download-cancelled', /run the command again to resume/);
    expect(existsSync(dest)).toBe(false);
    const kept = (await stat(partialPaths(dest).part)).size;
    expect(kept).toBeGreaterThanOrEqual(SIZE / 4);

    server.files.get('/model.onnx')!.throttle = undefined;
    await downloadFile(url, dest, { ...quick, expectedSha256: sha256(body) });
    await expectContent(dest, body);
    expect(server.log.at(-1)?.range).toBe(`bytes=${kept}-`);
  });
});

describe('downloadFile without a hash in the catalogue', () => {
  it('verifies against the sha256 the hub states in X-Linked-Etag on its redirect', async () => {
    const url = await serve({
      redirectHeaders: { 'x-linked-etag': `"${sha256(body)}"`, 'x-linked-size': String(SIZE), etag: '"abc"' },
      etag: '"cdn-etag-1"',
    });
    const dest = path.join(dir, 'model.onnx');
    const result = await downloadFile(url, dest, quick);
    expect(result.sha256).toBe(sha256(body));
    expect(server.log[0]).toMatchObject({ method: 'HEAD', path: '/model.onnx', status: 302 });
    expect(server.log.slice(1).map((entry) => [entry.method, entry.path])).toEqual([
      ['GET', '/model.onnx'],
      ['GET', '/cdn/model.onnx'],
    ]);
  });

  it('resumes through the hub redirect, sending the Range to the CDN', async () => {
    const url = await serve({
      redirectHeaders: { 'x-linked-etag': `"${sha256(body)}"`, 'x-linked-size': String(SIZE) },
      etag: '"cdn-etag-1"',
      faults: [{ kind: 'cut', afterBytes: SIZE / 2 }],
    });
    const dest = path.join(dir, 'model.onnx');
    await downloadFile(url, dest, quick);
    await expectContent(dest, body);
    const resumed = server.contentRequests('/model.onnx')[1];
    expect(resumed).toMatchObject({ path: '/cdn/model.onnx', status: 206, ifRange: '"cdn-etag-1"' });
  });

  it('rejects a file whose X-Linked-Etag does not match', async () => {
    const url = await serve({ redirectHeaders: { 'x-linked-etag': `"${'a'.repeat(64)}"` } });
    const dest = path.join(dir, 'model.onnx');
    await expectError(downloadFile(url, dest, quick), 'download-corrupt', /sha256 mismatch/);
    expect(existsSync(dest)).toBe(false);
  });

  it('verifies a small file against the git blob id the server states as its ETag', async () => {
    const small = Buffer.from('{"model_type": "clip"}\n');
    server = await startFileServer({ '/config.json': { body: small, etag: `W/"${gitBlobSha1(small)}"` } });
    const dest = path.join(dir, 'config.json');
    const result = await downloadFile(`${server.url}/config.json`, dest, quick);
    expect(result).toEqual({ path: dest, size: small.length, sha256: sha256(small) });

    server.files.get('/config.json')!.etag = `"${gitBlobSha1(Buffer.from('something else'))}"`;
    const other = path.join(dir, 'other.json');
    await expectError(
      downloadFile(`${server.url}/config.json`, other, quick),
      'download-corrupt',
      /git hash/,
    );
    expect(existsSync(other)).toBe(false);
  });

  it('refuses a file that nobody states a hash for, before fetching it', async () => {
    const url = await serve({ etag: '"5f3a-1234"' });
    const dest = path.join(dir, 'model.onnx');
    await expectError(
      downloadFile(url, dest, quick),
      'download-unverifiable',
      /never installs an unverified file/,
    );
    expect(server.log.map((entry) => entry.method)).toEqual(['HEAD']);
    expect(existsSync(dest)).toBe(false);
  });
});
