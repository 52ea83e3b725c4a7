/**
 * Who may talk to `clipsort serve`: requests must name this server in `Host` (so a web page whose DNS name was
 * rebound to 127.0.0.1 is refused), carry the per-run token (header, cookie, or `?token=` on the first page
 * load), and, when a browser says where it comes from (`Origin`), come from this server's own pages.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** A fresh random token for one run of the server. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::', '[::]'];

/** `[::1]` for IPv6 literals, as they appear in `Host` and URLs. */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** True when `host` is a loopback address or name. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class RequestGuard {
  private readonly names: Set<string>;
  private readonly wildcard: boolean;
  readonly cookieName: string;

  constructor(
    readonly token: string,
    host: string,
    readonly port: number,
  ) {
    this.names = new Set([...LOOPBACK_NAMES, hostForUrl(host).toLowerCase()]);
    this.wildcard = WILDCARDS.includes(host);
    // Cookies are shared by every port of a host: the name keeps two servers from overwriting each other's.
    this.cookieName = `clipsort-${port}`;
  }

  /** True when a `Host` value (`name:port`) names this server. */
  isOwnHost(value: string | undefined): boolean {
    if (!value) return false;
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(value.trim());
    // Without a port, a browser means the default one.
    if (!match || Number(match[2] ?? 80) !== this.port) return false;
    const name = match[1]!.toLowerCase();
    if (this.names.has(name)) return true;
    // Bound to every interface: any address literal reaches us, and a rebound DNS name is still refused.
    return this.wildcard && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
  }

  /** True when there is no `Origin`, or it is one of this server's own pages. */
  isOwnOrigin(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const match = /^http:\/\/([^/]+)$/.exec(origin);
    return match !== null && this.isOwnHost(match[1]);
  }

  /** The token a request carries: `Authorization: Bearer`, `X-ClipSort-Token`, our cookie, or `?token=`. */
  presentedToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const header = headers['x-clipsort-token'];
    return (
      bearer ??
      (typeof header === 'string' ? header : undefined) ??
      this.cookie(headers.cookie) ??
      query.get('token') ??
      undefined
    );
  }

  private cookie(header: string | undefined): string | undefined {
    for (const part of (header ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === this.cookieName) return value.join('=');
    }
    return undefined;
  }

  /** Compares in constant time. */
  isToken(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const given = Buffer.from(candidate);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The cookie that carries the token after the first page load: never readable by scripts, same site only. */
  tokenCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

/**
 * True when `pathname` (a request target's path, still encoded) can go in a `Location` header and stay on this
 * server. Browsers read `//host` and `/\host` as another host, and tolerate stray tabs, newlines and backslashes
 * there; an absolute-form target (`http://host/`) names another host outright. Those are refused, never rewritten.
 */
export function isSameOriginPath(pathname: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^\/(?![/\\])/.test(pathname) && !/[\\\u0000-\u0020\u007f]/.test(pathname);
}

/**
 * Headers every response carries. `host` is the request's `Host` once checked, for the WebSocket address; pages
 * answered before that may connect nowhere but themselves.
 */
export function securityHeaders(host?: string): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      host ? `connect-src 'self' ws://${host}` : "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
