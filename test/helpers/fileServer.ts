/**
 * A local HTTP file server on 127.0.0.1 for download tests. It serves files by path, honours Range and If-Range
 * like a CDN, can stand in for the Hugging Face hub (a redirect carrying `X-Linked-Etag`), logs every request,
 * and injects one fault per content request from each file's fault queue.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Something to go wrong with one content request. */
export type Fault =
  /** Send the headers and this many bytes, then close the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Send the headers and this many bytes, then send nothing more, leaving the connection open. */
  | { kind: 'stall'; afterBytes: number }
  /** Flip the byte at this offset of the file. */
  | { kind: 'flip'; at: number }
  /** Answer a Range request with the whole file and 200. */
  | { kind: 'ignore-range' }
  /** Answer 416 Range Not Satisfiable. */
  | { kind: '416' }
  /** Answer with this status and no body. */
  | { kind: 'status'; status: number }
  /** Answer 200 with an HTML page. */
  | { kind: 'html' };

export interface ServedFile {
  body: Buffer;
  contentType?: string;
  /** The ETag the content carries; a strong, made-up one unless set; null for none. */
  etag?: string | null;
  lastModified?: string;
  /** Serve the path as the hub does: a 302 to `/cdn<path>` with these headers (e.g. `x-linked-etag`). */
  redirectHeaders?: Record<string, string>;
  /** Faults for the next content requests, one each, in order. */
  faults?: Fault[];
  /** Send the body in chunks of this many bytes, waiting `delayMs` between them. */
  throttle?: { chunkBytes: number; delayMs: number };
}

export interface LoggedRequest {
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
  status: number;
  /** Body bytes written to the socket. */
  bytesSent: number;
}

export interface FileServer {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  files: Map<string, ServedFile>;
  log: LoggedRequest[];
  /** Content requests (GET of the bytes, not hub redirects) for a path. */
  contentRequests(path: string): LoggedRequest[];
  close(): Promise<void>;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function gitBlobSha1(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** Bytes that look random and differ per seed, so a misplaced range shows as a hash mismatch. */
export function testBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed * 2654435761;
  for (let index = 0; index < size; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** Starts a server on 127.0.0.1 and a free port. */
export async function startFileServer(files: Record<string, ServedFile> = {}): Promise<FileServer> {
  const served = new Map(Object.entries(files));
  const log: LoggedRequest[] = [];
  const server = http.createServer((request, response) => {
    const entry: LoggedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      range: request.headers.range,
      ifRange: header(request.headers['if-range']),
      status: 0,
      bytesSent: 0,
    };
    log.push(entry);
    const finish = (status: number, headers: http.OutgoingHttpHeaders = {}, body?: Buffer | string) => {
      entry.status = status;
      response.writeHead(status, headers);
      if (body !== undefined && request.method !== 'HEAD') {
        entry.bytesSent += Buffer.byteLength(body);
        response.end(body);
      } else response.end();
    };

    const hubFile = served.get(entry.path);
    if (hubFile?.redirectHeaders) {
      finish(302, { location: `/cdn${entry.path}`, ...hubFile.redirectHeaders }, 'Found');
      return;
    }
    const file = entry.path.startsWith('/cdn/') ? served.get(entry.path.slice(4)) : hubFile;
    if (!file) {
      finish(404, { 'content-type': 'text/plain' }, 'Not found');
      return;
    }
    const fault = request.method === 'GET' ? file.faults?.shift() : undefined;
    if (fault?.kind === 'status') return finish(fault.status, {}, '');
    if (fault?.kind === 'html') {
      return finish(200, { 'content-type': 'text/html; charset=utf-8' }, '<html><body>Sign in</body></html>');
    }

    const size = file.body.length;
    const etag = file.etag === undefined ? `"v1-${size}"` : file.etag;
    const validators: http.OutgoingHttpHeaders = {
      ...(etag ? { etag } : {}),
      ...(file.lastModified ? { 'last-modified': file.lastModified } : {}),
    };
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(entry.range ?? '');
    if (range && fault?.kind !== 'ignore-range') {
      const ifRange = entry.ifRange;
      const current = ifRange === undefined || ifRange === etag || ifRange === file.lastModified;
      if (fault?.kind === '416' || (current && Number(range[1]) >= size)) {
        return finish(416, { 'content-range': `bytes */${size}`, ...validators }, '');
      }
      if (current) start = Number(range[1]);
    }
    let body = file.body.subarray(start);
    if (fault?.kind === 'flip' && fault.at >= start) {
      body = Buffer.from(body);
      body[fault.at - start] = (body[fault.at - start] ?? 0) ^ 0xff;
    }
    entry.status = start > 0 ? 206 : 200;
    response.writeHead(entry.status, {
      'content-type': file.contentType ?? 'application/octet-stream',
      'content-length': body.length,
      'accept-ranges': 'bytes',
      ...validators,
      ...(start > 0 ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    if (request.method === 'HEAD') return response.end();
    const limit =
      fault?.kind === 'cut' || fault?.kind === 'stall' ? Math.min(fault.afterBytes, body.length) : undefined;
    void send(
      response,
      body.subarray(0, limit ?? body.length),
      file.throttle,
      (bytes) => (entry.bytesSent += bytes),
    ).then(() => {
      if (fault?.kind === 'cut')
        response.socket?.end(); // FIN after the bytes so far: a clean cut
      else if (fault?.kind !== 'stall') response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files: served,
    log,
    contentRequests: (path) =>
      log
        .filter((entry) => entry.method === 'GET' && (entry.path === path || entry.path === `/cdn${path}`))
        .filter((entry) => entry.status === 200 || entry.status === 206),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `body`, in throttled chunks if asked, stopping early when the client goes away. */
async function send(
  response: http.ServerResponse,
  body: Buffer,
  throttle: ServedFile['throttle'],
  sent: (bytes: number) => void,
): Promise<void> {
  const chunkBytes = throttle?.chunkBytes ?? 64 * 1024;
  for (let offset = 0; offset < body.length && !response.destroyed; offset += chunkBytes) {
    const chunk = body.subarray(offset, offset + chunkBytes);
    await new Promise<void>((resolve) => response.write(chunk, () => resolve()));
    sent(chunk.length);
    if (throttle) await new Promise((resolve) => setTimeout(resolve, throttle.delayMs));
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
