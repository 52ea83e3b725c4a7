/**
 * Downloads one file so that the final name only ever holds verified bytes. The bytes go to `<dest>.part`, with
 * the server's validator and the expected hash in `<dest>.part.json`; an interrupted download resumes with a
 * Range request, the whole file is hashed, flushed to disk, and only then renamed to `dest`.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClipSortError } from '../errors.js';
import { fsyncDir, writeAll, writeFileDurably } from '../fs/durable.js';
import { gitBlobSha1File, hashFileInto, type FileDigest } from './fileHash.js';
import { probeRemoteFile } from './remoteDigest.js';
import { networkError, statusError, TransientError, withRetries, type RetryOptions } from './retry.js';

export interface DownloadOptions extends RetryOptions {
  /** The sha256 the file must have (from the catalogue). */
  expectedSha256?: string;
  /** The hash the file must have, by either algorithm; wins over `expectedSha256`. */
  expected?: FileDigest;
  /** The size the file must have, where known. */
  expectedSize?: number;
  /** Bytes on disk so far (resumed bytes included) and the total where known. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Give up an attempt (and retry) when no bytes arrive for this long; 30 s unless set. */
  idleTimeoutMs?: number;
  /** What to call the file in messages; its name unless set. */
  name?: string;
  fetch?: typeof fetch;
}

/** A verified file at its final name. */
export interface DownloadedFile {
  path: string;
  size: number;
  sha256: string;
}

/** What is kept next to a partial file so that a later run can resume it safely. */
const partialStateSchema = z.object({
  url: z.string(),
  digest: z.object({ algorithm: z.enum(['sha256', 'git-blob-sha1']), hex: z.string() }),
  validator: z.string().optional(),
});
type PartialState = z.infer<typeof partialStateSchema>;

/** The temporary names a download of `dest` uses. */
export function partialPaths(dest: string): { part: string; state: string } {
  return { part: `${dest}.part`, state: `${dest}.part.json` };
}

/**
 * Downloads `url` to `dest`, verified against `expected`/`expectedSha256`, or else against the hash the server
 * states (see {@link probeRemoteFile}); refuses a file whose hash nobody states.
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadedFile> {
  const name = options.name ?? path.basename(dest);
  const retry = {
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    signal: options.signal,
    onGiveUp: (last: TransientError) =>
      new ClipSortError(
        'download-failed',
        `Could not download ${name} from ${url}: ${last.message}. Check the connection and run the command ` +
          'again; the download resumes where it stopped.',
      ),
  };
  let expected =
    options.expected ??
    (options.expectedSha256 ? { algorithm: 'sha256', hex: options.expectedSha256 } : undefined);
  let expectedSize = options.expectedSize;
  if (!expected) {
    const remote = await withRetries(
      () =>
        probeRemoteFile(url, {
          name,
          fetch: options.fetch,
          signal: options.signal,
          timeoutMs: options.idleTimeoutMs,
        }),
      retry,
    );
    expected = remote.digest;
    expectedSize ??= remote.size;
  }
  if (!expected) throw unverifiable(name, url);

  await mkdir(path.dirname(dest), { recursive: true });
  const transfer = new Transfer(url, dest, name, expected, expectedSize, options);
  const result = await withRetries(() => transfer.run(), retry);

  const { part, state } = partialPaths(dest);
  const mismatch =
    expectedSize !== undefined && result.size !== expectedSize
      ? 'size'
      : expected.algorithm === 'sha256'
        ? result.sha256 !== expected.hex && 'sha256'
        : (await gitBlobSha1File(part)) !== expected.hex && 'git hash';
  if (mismatch) {
    await discardPartial(dest);
    throw new ClipSortError(
      'download-corrupt',
      `The download of ${name} was corrupted (${mismatch} mismatch) and has been deleted; run the command again.`,
    );
  }
  await rename(part, dest);
  await fsyncDir(path.dirname(dest));
  await rm(state, { force: true });
  return { path: dest, size: result.size, sha256: result.sha256 };
}

/** The refusal for a file that nobody states a hash for. */
export function unverifiable(name: string, url: string): ClipSortError {
  return new ClipSortError(
    'download-unverifiable',
    `Cannot verify ${name}: neither the model catalogue nor the server at ${url} states its sha256, and ClipSort ` +
      'never installs an unverified file. Add its sha256 to the catalogue, or import a folder you trust with ' +
      '`clipsort models import <dir>`.',
  );
}

/** Removes a partial download and its state. */
export async function discardPartial(dest: string): Promise<void> {
  const { part, state } = partialPaths(dest);
  await rm(part, { force: true });
  await rm(state, { force: true });
}

/** One file's transfer into its partial; `run` is one attempt, and resumes what earlier attempts left. */
class Transfer {
  #restarted = false;

  constructor(
    readonly url: string,
    readonly dest: string,
    readonly name: string,
    readonly expected: FileDigest,
    readonly expectedSize: number | undefined,
    readonly options: DownloadOptions,
  ) {}

  /** Brings the partial to the whole file; resolves to its size and sha256. */
  async run(): Promise<{ size: number; sha256: string }> {
    const { part, state: statePath } = partialPaths(this.dest);
    const state = await this.#usablePartialState();
    const offset = state ? (await stat(part)).size : 0;
    if (state && offset === this.expectedSize) return this.#hashPartial(offset);

    const attempt = new AbortController();
    const userSignal = this.options.signal;
    const signal = userSignal ? AbortSignal.any([userSignal, attempt.signal]) : attempt.signal;
    const idleMs = this.options.idleTimeoutMs ?? 30_000;
    const timer = setTimeout(() => attempt.abort(), idleMs);
    const failure = (error: unknown) =>
      attempt.signal.aborted && !userSignal?.aborted
        ? new TransientError(`no data arrived for ${Math.round(idleMs / 1000)} s`)
        : networkError(error, userSignal);
    try {
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (state && offset > 0) {
        headers.range = `bytes=${offset}-`;
        if (state.validator) headers['if-range'] = state.validator;
      }
      let response: Response;
      try {
        response = await (this.options.fetch ?? fetch)(this.url, { headers, signal });
      } catch (error) {
        throw failure(error);
      }

      if (response.status === 416 && headers.range) {
        await response.body?.cancel();
        const total = /^bytes \*\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
        if (total !== undefined && Number(total) === offset) return await this.#hashPartial(offset);
        return await this.#restart('the server refused to resume it (HTTP 416)');
      }
      if (response.status !== 200 && response.status !== 206) {
        await response.body?.cancel();
        throw statusError(response.status, this.name, this.url);
      }
      if ((response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
        await response.body?.cancel();
        throw new ClipSortError(
          'download-failed',
          `The server sent a web page instead of ${this.name} (perhaps a login or error page); check ${this.url}.`,
        );
      }
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const hash = createHash('sha256');
      let done: number;
      let total: number | undefined;
      let handle;
      if (response.status === 206) {
        const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
        if (!state || !range || Number(range[1]) !== offset) {
          await response.body?.cancel();
          return await this.#restart('the server resumed it at the wrong place');
        }
        total = range[2] === '*' ? this.expectedSize : Number(range[2]);
        done = await hashFileInto(part, hash);
        timer.refresh();
        handle = await open(part, 'a');
      } else {
        // A whole file: a fresh start, or the server's answer that the partial no longer matches.
        done = 0;
        const length = response.headers.get('content-length');
        total = !encoded && length !== null ? Number(length) : this.expectedSize;
        handle = await open(part, 'w');
        await writeFileDurably(statePath, JSON.stringify(this.#stateFor(response.headers)));
      }
      try {
        this.options.onProgress?.(done, total);
        if (!response.body) throw new TransientError('the server sent no content');
        try {
          for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
            timer.refresh();
            await writeAll(handle, chunk);
            hash.update(chunk);
            done += chunk.length;
            this.options.onProgress?.(done, total);
          }
        } catch (error) {
          throw failure(error);
        }
        if (total !== undefined && done < total) throw new TransientError('the transfer ended early');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { size: done, sha256: hash.digest('hex') };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The saved state of a partial that can be resumed, or undefined after discarding one that cannot. */
  async #usablePartialState(): Promise<PartialState | undefined> {
    const { part, state: statePath } = partialPaths(this.dest);
    let size: number;
    try {
      size = (await stat(part)).size;
    } catch {
      await rm(statePath, { force: true });
      return undefined;
    }
    let state: PartialState | undefined;
    try {
      state = partialStateSchema.parse(JSON.parse(await readFile(statePath, 'utf8')));
    } catch {
      state = undefined;
    }
    const sameFile =
      state?.digest.algorithm === this.expected.algorithm && state.digest.hex === this.expected.hex;
    if (!state || !sameFile || (this.expectedSize !== undefined && size > this.expectedSize)) {
      await discardPartial(this.dest);
      return undefined;
    }
    return state;
  }

  /** Discards the partial and starts again from the first byte, at most once per download. */
  async #restart(reason: string): Promise<{ size: number; sha256: string }> {
    if (this.#restarted) {
      throw new ClipSortError('download-failed', `Could not download ${this.name}: ${reason}, twice.`);
    }
    this.#restarted = true;
    await discardPartial(this.dest);
    return this.run();
  }

  async #hashPartial(size: number): Promise<{ size: number; sha256: string }> {
    const hash = createHash('sha256');
    await hashFileInto(partialPaths(this.dest).part, hash);
    this.options.onProgress?.(size, size);
    return { size, sha256: hash.digest('hex') };
  }

  /** What to save for a resume: a strong ETag, else Last-Modified, is what If-Range accepts. */
  #stateFor(headers: Headers): PartialState {
    const etag = headers.get('etag');
    const validator = etag && !etag.startsWith('W/') ? etag : (headers.get('last-modified') ?? undefined);
    return { url: this.url, digest: this.expected, validator };
  }
}
