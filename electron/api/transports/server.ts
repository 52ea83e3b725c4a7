/**
 * `clipsort serve`: the browser face. One library, one HTTP server with a WebSocket, bound to loopback unless
 * told otherwise, and a random token per run that every request must carry. Routes:
 *
 * - `POST /api/<command>`: JSON input in, `{result}` or `{error}` out (bytes, such as the map's points, written
 *   `{"$base64": "…"}`);
 * - `GET /ws`: WebSocket for commands and events;
 * - `GET /image/<library path>`: an image file of the library; `GET /thumb/<library path>?size=N`: its WebP thumbnail;
 * - everything else: the renderer's build (`dist/renderer/`).
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorMessage } from '../../engine/errors.js';
import { ApiService, type ApiServiceOptions } from '../state/apiService.js';
import type { ApiErrorBody } from '../contract/index.js';
import {
  imageContentType,
  openLibraryImage,
  PathRefused,
  type LibraryFile,
} from '../serving/libraryFiles.js';
import { defaultRendererDir, rendererFile } from '../serving/rendererFiles.js';
import { ThumbnailCache, thumbnailSize } from '../serving/thumbnails.js';
import { hostForUrl, isSameOriginPath, newToken, RequestGuard, securityHeaders } from './requestGuard.js';
import { SocketHub } from './socketHub.js';

/** A JSON replacer that writes bytes as base64 (`this[key]`: a Buffer has already been through its toJSON). */
function withBase64(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? { $base64: Buffer.from(original).toString('base64') } : value;
}

export interface ServeOptions extends Omit<ApiServiceOptions, 'allowLibrarySwitch'> {
  library: string;
  /** Address to listen on; `127.0.0.1` unless set. */
  host?: string;
  /** Port; 0 (any free port) unless set. */
  port?: number;
  /** The renderer's build; `dist/renderer/` of the package unless set. */
  rendererDir?: string;
  /** Start sorting at once. */
  sort?: boolean;
}

export interface RunningServer {
  /** The address to open, token included. */
  url: string;
  /** `http://host:port`, without the token. */
  origin: string;
  token: string;
  host: string;
  port: number;
  api: ApiService;
  thumbnails: ThumbnailCache;
  /** Stops accepting requests, stops sorting (finishing moves in flight) and closes the library. */
  close(): Promise<void>;
}

/** The largest request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** The HTTP status for a command's error code. */
function statusFor(code: string): number {
  switch (code) {
    case 'invalid-input':
      return 400;
    case 'unknown-command':
      return 404;
    case 'internal':
      return 500;
    default:
      return 422;
  }
}

/**
 * The client went away before its request was read in full (a reset or closed connection mid-body): nobody is
 * left to answer, and it is no fault of ours, so it is neither answered nor reported as an internal error.
 */
class ClientGone extends Error {}

/**
 * Reads a request body; past MAX_BODY_BYTES the rest is drained unread and the request refused (413). A body cut
 * off by the client rejects with ClientGone.
 */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      request.off('data', collect);
      request.resume();
      reject(
        new HttpError(413, {
          code: 'too-large',
          message: `A request may hold at most ${MAX_BODY_BYTES} bytes.`,
        }),
      );
    };
    request.on('data', collect);
    request.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // An aborted body ends in 'error' (ECONNRESET, "aborted") and 'close' without 'end'; either settles it once.
    const gone = () =>
      reject(new ClientGone('The client closed the connection before its request was read.'));
    request.on('error', gone);
    request.on('close', () => {
      if (!ended) gone();
    });
  });
}

/** Starts serving `options.library`. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const api = await ApiService.open(options.library, { ...options, allowLibrarySwitch: false });
  const library = api.library();
  const thumbnails = new ThumbnailCache(library.root, library.index);
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const hub = new SocketHub(api);
  const token = newToken();

  const send = (
    response: ServerResponse,
    status: number,
    body: string | Buffer,
    headers: OutgoingHttpHeaders = {},
  ) => {
    response.writeHead(status, {
      'Cache-Control': 'no-store',
      ...headers,
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, status: number, value: unknown) =>
    send(response, status, JSON.stringify(value, withBase64), {
      'Content-Type': 'application/json; charset=utf-8',
    });
  const sendText = (response: ServerResponse, status: number, text: string) =>
    send(response, status, `${text}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });

  const command = async (request: IncomingMessage, response: ServerResponse, name: string) => {
    if (request.method !== 'POST') {
      return sendJson(response, 405, { error: { code: 'method', message: 'Commands are sent with POST.' } });
    }
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      return sendJson(response, 415, {
        error: { code: 'content-type', message: 'Commands are sent as Content-Type: application/json.' },
      });
    }
    const text = await readBody(request);
    let input: unknown = {};
    try {
      if (text.trim() !== '') input = JSON.parse(text);
    } catch {
      return sendJson(response, 400, { error: { code: 'invalid-json', message: 'The body is not JSON.' } });
    }
    const outcome = await api.invoke(name, input);
    if (outcome.ok) return sendJson(response, 200, { result: outcome.result });
    return sendJson(response, statusFor(outcome.error.code), { error: outcome.error });
  };

  const withImage = async (
    response: ServerResponse,
    encoded: string,
    serve: (file: LibraryFile) => Promise<void>,
  ) => {
    let file: LibraryFile;
    try {
      file = await openLibraryImage(library.root, encoded);
    } catch (error) {
      if (error instanceof PathRefused) return sendText(response, error.status, error.message);
      throw error;
    }
    try {
      await serve(file);
    } finally {
      await file.handle.close();
    }
  };

  const image = (request: IncomingMessage, response: ServerResponse, encoded: string) =>
    withImage(response, encoded, async (file) => {
      const etag = `"${file.stats.size}-${Math.trunc(file.stats.mtimeMs)}"`;
      const headers = {
        'Content-Type': imageContentType(file.relative),
        'Cache-Control': 'private, no-cache',
        ETag: etag,
      };
      if (request.headers['if-none-match'] === etag) return send(response, 304, '', headers);
      send(response, 200, await file.handle.readFile(), headers);
    });

  const thumb = (
    request: IncomingMessage,
    response: ServerResponse,
    encoded: string,
    query: URLSearchParams,
  ) => {
    const size = thumbnailSize(query.get('size'));
    if (size === undefined) return sendText(response, 400, 'size must be a whole number from 1 to 4096.');
    return withImage(response, encoded, async (file) => {
      let made;
      try {
        made = await thumbnails.get(file, size);
      } catch (error) {
        return sendText(response, 415, `No thumbnail: ${errorMessage(error)}`);
      }
      const etag = `"${made.etag}"`;
      const headers = {
        'Content-Type': 'image/webp',
        'Cache-Control': 'private, no-cache',
        ETag: etag,
        'X-Thumbnail-Cache': made.cached ? 'hit' : 'miss',
      };
      if (request.headers['if-none-match'] === etag) return send(response, 304, '', headers);
      send(response, 200, made.bytes, headers);
    });
  };

  const route = async (checked: RequestGuard, request: IncomingMessage, response: ServerResponse) => {
    const hostHeader = request.headers.host;
    const ownHost = checked.isOwnHost(hostHeader);
    for (const [name, value] of Object.entries(securityHeaders(ownHost ? hostHeader : undefined))) {
      response.setHeader(name, value!);
    }
    if (!ownHost) return sendText(response, 421, 'This server does not answer to that host name.');
    if (!checked.isOwnOrigin(request.headers.origin))
      return sendText(response, 403, 'Requests from other sites are refused.');
    const raw = request.url ?? '/';
    const mark = raw.indexOf('?');
    const pathname = mark === -1 ? raw : raw.slice(0, mark);
    const query = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
    if (!checked.isToken(checked.presentedToken(request.headers, query))) {
      return sendText(response, 401, 'Open the address `clipsort serve` printed: it holds the access token.');
    }
    if (query.has('token') && request.method === 'GET') {
      // The first page load: keep the token in a cookie and take it out of the address bar, by a redirect that
      // must not lead off this server (`GET //evil.example/?token=…` would otherwise be an open redirect).
      if (!isSameOriginPath(pathname)) return sendText(response, 404, 'Not found.');
      query.delete('token');
      const rest = query.toString();
      return send(response, 303, '', {
        Location: `${pathname}${rest ? `?${rest}` : ''}`,
        'Set-Cookie': checked.tokenCookie(),
      });
    }
    if (pathname.startsWith('/api/')) return command(request, response, pathname.slice('/api/'.length));
    if (request.method !== 'GET') return sendText(response, 405, 'Only GET is answered here.');
    if (pathname.startsWith('/image/')) return image(request, response, pathname.slice('/image/'.length));
    if (pathname.startsWith('/thumb/'))
      return thumb(request, response, pathname.slice('/thumb/'.length), query);
    const file = await rendererFile(rendererDir, pathname);
    if (!file) return sendText(response, 404, 'Not found.');
    send(response, 200, file.body, { 'Content-Type': file.type });
  };

  const server = createServer();
  const answer = (checked: RequestGuard) => (request: IncomingMessage, response: ServerResponse) => {
    route(checked, request, response).catch((error: unknown) => {
      if (error instanceof HttpError) {
        response.setHeader('Connection', 'close');
        return sendJson(response, error.status, { error: error.body });
      }
      if (error instanceof ClientGone) return void response.destroy();
      options.onInternalError?.(error);
      if (!response.headersSent) sendText(response, 500, 'ClipSort hit an unexpected problem.');
      else response.destroy();
    });
  };

  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const upgrade = (checked: RequestGuard) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const raw = request.url ?? '/';
    const mark = raw.indexOf('?');
    const pathname = mark === -1 ? raw : raw.slice(0, mark);
    const query = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
    if (pathname !== '/ws') return refuse(socket, '404 Not Found');
    if (!checked.isOwnHost(request.headers.host)) return refuse(socket, '421 Misdirected Request');
    if (!checked.isOwnOrigin(request.headers.origin)) return refuse(socket, '403 Forbidden');
    if (!checked.isToken(checked.presentedToken(request.headers, query)))
      return refuse(socket, '401 Unauthorized');
    hub.server.handleUpgrade(request, socket, head, (ws) => hub.server.emit('connection', ws, request));
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await hub.close();
    await api.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  // Handlers are attached before anything else can run, so no request arrives without them.
  const guard = new RequestGuard(token, host, port);
  server.on('request', answer(guard));
  server.on('upgrade', upgrade(guard));
  const shownHost = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : hostForUrl(host);
  const origin = `http://${shownHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await api.close();
    })());

  if (options.sort) {
    try {
      await api.library().sort.start();
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { url: `${origin}/?token=${token}`, origin, token, host, port, api, thumbnails, close };
}
