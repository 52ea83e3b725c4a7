import { describe, expect, it } from 'vitest';
import {
  isSameOriginPath,
  RequestGuard,
  securityHeaders,
} from '../../electron/api/transports/requestGuard.js';

describe('RequestGuard', () => {
  const loopback = new RequestGuard('t0ken', '127.0.0.1', 5000);
  const everywhere = new RequestGuard('t0ken', '0.0.0.0', 5000);
  const ipv6 = new RequestGuard('t0ken', '::1', 5000);
  const port80 = new RequestGuard('t0ken', '127.0.0.1', 80);

  it.each([
    [loopback, '127.0.0.1:5000', true],
    [loopback, 'localhost:5000', true],
    [loopback, 'LOCALHOST:5000', true],
    [loopback, '[::1]:5000', true],
    [loopback, '127.0.0.1:5001', false],
    [loopback, '127.0.0.1', false],
    [loopback, 'evil.example:5000', false],
    [loopback, '127.0.0.1.nip.io:5000', false],
    [loopback, 'localhost.evil.example:5000', false],
    [loopback, '192.168.1.20:5000', false],
    [loopback, '127.0.0.1:5000@evil.example', false],
    [loopback, '', false],
    [loopback, undefined, false],
    [everywhere, '192.168.1.20:5000', true],
    [everywhere, '[fe80::1]:5000', true],
    [everywhere, 'nas.evil.example:5000', false],
    [ipv6, '[::1]:5000', true],
    [port80, '127.0.0.1', true],
    [port80, 'localhost', true],
    [port80, 'evil.example', false],
  ] as const)('%#: Host %s → %s', (guard, host, expected) => {
    expect(guard.isOwnHost(host)).toBe(expected);
  });

  it.each([
    [undefined, true],
    ['http://127.0.0.1:5000', true],
    ['http://localhost:5000', true],
    ['https://127.0.0.1:5000', false],
    ['http://evil.example:5000', false],
    ['http://127.0.0.1:5000/path', false],
    ['null', false],
    ['', false],
  ] as const)('Origin %s → %s', (origin, expected) => {
    expect(loopback.isOwnOrigin(origin)).toBe(expected);
  });

  it('finds the token in a header, the cookie or the query, and compares it exactly', () => {
    const none = new URLSearchParams();
    expect(loopback.presentedToken({ authorization: 'Bearer t0ken' }, none)).toBe('t0ken');
    expect(loopback.presentedToken({ 'x-clipsort-token': 't0ken' }, none)).toBe('t0ken');
    expect(loopback.presentedToken({ cookie: 'a=b; clipsort-5000=t0ken' }, none)).toBe('t0ken');
    expect(loopback.presentedToken({ cookie: 'clipsort-5001=t0ken' }, none)).toBeUndefined();
    expect(loopback.presentedToken({}, new URLSearchParams('token=t0ken'))).toBe('t0ken');
    for (const wrong of [undefined, '', 't0ke', 't0ken ', 'T0KEN', 't0ken\u0000']) {
      expect(loopback.isToken(wrong)).toBe(false);
    }
    expect(loopback.isToken('t0ken')).toBe(true);
  });

  it.each([
    ['/', true],
    ['/index.html', true],
    ['/assets/app-1.js', true],
    ['/a//b', true],
    ['/%2F%2Fevil.com', true], // stays encoded in Location: a path, not a host
    ['//evil.com/', false],
    ['///evil.com', false],
    ['/\\evil.com/', false],
    ['/\\/evil.com', false],
    ['//evil.com/%2e%2e', false],
    ['/\t/evil.com', false],
    ['/x\\..\\..\\evil', false],
    ['http://evil.com/', false],
    ['evil.com', false],
    ['', false],
  ])('takes %j as a same-origin redirect target: %s', (pathname, expected) => {
    expect(isSameOriginPath(pathname)).toBe(expected);
  });

  it('sends a CSP without inline scripts that lets the page reach only its own WebSocket', () => {
    const csp = String(securityHeaders('127.0.0.1:5000')['Content-Security-Policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000");
    expect(csp).not.toMatch(/unsafe/);
    expect(String(securityHeaders()['Content-Security-Policy'])).toContain("connect-src 'self';");
  });
});
