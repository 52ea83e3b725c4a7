/**
 * What a server says about a file before we fetch it: its hash and size. Hugging Face answers a HEAD on a
 * `resolve` URL of a large (LFS) file with a redirect to its CDN carrying `X-Linked-Etag` (the sha256) and
 * `X-Linked-Size`; for a small file kept in git it answers 200 with the git blob id as the `ETag`.
 */
import { ClipSortError } from '../errors.js';
import type { FileDigest } from './fileHash.js';
import { networkError, statusError } from './retry.js';

/** What the server states about a file; either part may be unknown. */
export interface RemoteFileInfo {
  digest?: FileDigest;
  size?: number;
}

/** The hash an ETag-like header states: 64 hex digits are a sha256, 40 a git blob id; anything else, none. */
export function parseDigest(value: string | null | undefined): FileDigest | undefined {
  if (!value) return undefined;
  const hex = value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex)) return { algorithm: 'sha256', hex };
  if (/^[0-9a-f]{40}$/.test(hex)) return { algorithm: 'git-blob-sha1', hex };
  return undefined;
}

/** The hash stated by a response's headers: `X-Linked-Etag` first, then `ETag`. */
export function digestFromHeaders(headers: Headers): FileDigest | undefined {
  return parseDigest(headers.get('x-linked-etag')) ?? parseDigest(headers.get('etag'));
}

function sizeFrom(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Asks the server (HEAD, redirects not followed, so the hub's own headers are read rather than its CDN's) for a
 * file's hash and size. Follows redirects within the same server, as the hub uses them for renamed repositories.
 */
export async function probeRemoteFile(
  url: string,
  options: { name?: string; fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<RemoteFileInfo> {
  const fetchFn = options.fetch ?? fetch;
  const name = options.name ?? url;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = new URL(url);
  for (let hops = 0; hops <= 5; hops++) {
    let response: Response;
    try {
      response = await fetchFn(current, {
        method: 'HEAD',
        redirect: 'manual',
        headers: { 'accept-encoding': 'identity' },
        signal,
      });
    } catch (error) {
      throw networkError(error, options.signal);
    }
    await response.body?.cancel();
    const digest = digestFromHeaders(response.headers);
    const linkedSize = sizeFrom(response.headers.get('x-linked-size'));
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      const next = location ? new URL(location, current) : undefined;
      if (digest || !next || next.origin !== current.origin) return { digest, size: linkedSize };
      current = next;
      continue;
    }
    if (response.status === 405 || response.status === 501) return {}; // HEAD not supported: nothing stated
    if (!response.ok) throw statusError(response.status, name, url);
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    return {
      digest,
      size: linkedSize ?? (encoded ? undefined : sizeFrom(response.headers.get('content-length'))),
    };
  }
  throw new ClipSortError('download-failed', `${url} redirects too many times.`);
}
