import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** Undoes the server's `{"$base64": "…"}` for bytes. */
function fromBase64(_key: string, value: unknown): unknown {
  const encoded = (value as { $base64?: unknown } | null)?.$base64;
  return typeof encoded === 'string' ? new Uint8Array(Buffer.from(encoded, 'base64')) : value;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One HTTP request with the path sent exactly as given (no normalisation of `..` or encodings, unlike fetch), so
 * that traversal attempts reach the server as an attacker would send them. Times out after `timeoutMs`.
 */
export function request(
  origin: string,
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent,
        timeout: options.timeoutMs ?? 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text, fromBase64);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs one command with the token; returns the reply. */
export function postCommand(origin: string, token: string, name: string, body: unknown): Promise<Reply> {
  return request(origin, `/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POSTs a command that must succeed; returns its result. */
export async function invoke<T>(
  origin: string,
  token: string,
  name: string,
  input: unknown = {},
): Promise<T> {
  const reply = await postCommand(origin, token, name, input);
  if (reply.status !== 200) throw new Error(`${name} answered ${reply.status}: ${reply.text}`);
  return (reply.json as { result: T }).result;
}

/** Percentiles of a list of durations in milliseconds. */
export function percentiles(times: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

/** Sends `head` (and `body`) on a raw socket, then `after(socket)`; resolves with whatever came back. */
export function rawRequest(port: number, text: string, after: 'end' | 'destroy' = 'end'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(text, () => {
      if (after === 'destroy') setTimeout(() => socket.destroy(), 50);
    });
  });
}

/** A command whose body the client abandons: it announces 1,000 bytes, sends 10, and hangs up. */
export async function cutOffBody(port: number, token: string): Promise<void> {
  await rawRequest(
    port,
    [
      'POST /api/library.status HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      'Content-Length: 1000',
      '',
      '{"aaaaaaa"',
    ].join('\r\n'),
    'destroy',
  );
}
