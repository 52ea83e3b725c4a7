import { rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from '../../electron/api/client.js';
import { commands, type ApiEvent, type CommandName } from '../../electron/api/contract/index.js';
import { createSocketTransport } from '../../electron/api/transports/socketTransport.js';
import { makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes } from '../helpers/tree.js';
import { cutOffBody, invoke, percentiles, postCommand, request } from './http.js';
import { startServe, type ServeProcess } from './serveProcess.js';

/** Opens a raw WebSocket; resolves with the socket, or with the HTTP status that refused it. */
function openSocket(url: string, options: { headers?: Record<string, string>; origin?: string } = {}) {
  return new Promise<{ socket?: WebSocket; status?: number }>((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), 10_000);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      resolve({ status: response.statusCode });
    });
    socket.once('error', () => undefined);
  });
}

/** Resolves once `predicate` holds for the events so far; rejects after `ms`. */
function waitFor(events: ApiEvent[], predicate: (events: ApiEvent[]) => boolean, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate(events)) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`timed out with events ${JSON.stringify(events.map((e) => e.event))}`));
      }
    }, 25);
  });
}

/** Checks a result against its command's result schema. */
function conforms(name: CommandName, result: unknown) {
  const parsed = commands[name].result.safeParse(result);
  expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
}

describe('clipsort serve', () => {
  const tempDir = useTempDirs();
  let serve: ServeProcess | undefined;
  afterEach(async () => {
    await serve?.stop().catch(() => undefined);
    serve = undefined;
  });

  it('prints its address first, and answers only with the token, to its own host and origin', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    serve = await startServe(root);
    const { url, origin, token, port } = serve;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const status = (body: { status: number }) => body.status;

    expect(status(await postCommand(origin, '', 'library.status', {}))).toBe(401);
    expect(status(await postCommand(origin, `${token.slice(1)}x`, 'library.status', {}))).toBe(401);
    const ok = await postCommand(origin, token, 'library.status', {});
    expect(ok.status).toBe(200);
    const tokenHeader = { 'X-ClipSort-Token': token, 'Content-Type': 'application/json' };
    const viaHeader = await request(origin, '/api/library.status', { method: 'POST', headers: tokenHeader });
    expect(viaHeader.status).toBe(200);

    const csp = ok.headers['content-security-policy']!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');

    // The first page load trades the token in the address for a cookie, and takes it out of the address bar.
    expect((await request(origin, '/')).status).toBe(401);
    const first = await request(origin, `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie).toMatch(new RegExp(`^clipsort-${port}=${token}; HttpOnly; SameSite=Strict; Path=/$`));
    const page = await request(origin, '/', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');

    // DNS rebinding: a page of another name resolved to 127.0.0.1 must not be answered, even with the token.
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const as = (headers: Record<string, string>) =>
      request(origin, '/api/library.status', { method: 'POST', headers: { ...auth, ...headers } });
    expect((await as({ Host: `evil.example:${port}` })).status).toBe(421);
    expect((await as({ Host: `127.0.0.1:${port + 1}` })).status).toBe(421);
    expect((await as({ Host: `localhost:${port}` })).status).toBe(200);
    expect((await as({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await as({ Origin: `http://evil.example:${port}` })).status).toBe(403);
    expect((await as({ Origin: `http://127.0.0.1:${port}` })).status).toBe(200);

    const ws = `ws://127.0.0.1:${port}/ws`;
    expect((await openSocket(ws)).status).toBe(401);
    expect((await openSocket(`${ws}?token=nope`)).status).toBe(401);
    expect((await openSocket(`${ws}?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
    const rebound = await openSocket(`${ws}?token=${token}`, { headers: { Host: `evil.example:${port}` } });
    expect(rebound.status).toBe(421);
    expect((await openSocket(`ws://127.0.0.1:${port}/other?token=${token}`)).status).toBe(404);
    const accepted = await openSocket(`${ws}?token=${token}`, { origin: `http://localhost:${port}` });
    expect(accepted.socket).toBeDefined();
    accepted.socket!.close();
    const withCookie = await openSocket(ws, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(withCookie.socket).toBeDefined();
    withCookie.socket!.close();

    expect(await serve.stop()).toBe(0);
    serve = undefined;
  });

  it('sorts while watching and pushes events, and answers status, review, assign and undo', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    await writeColourImage(path.join(root, 'Images/grey.png'), [128, 128, 128], { clutter: 0 });
    const inboxBefore = await treeHashes(path.join(root, 'Images'));
    serve = await startServe(root);
    const { origin, token, port } = serve;

    const settings = await invoke<{ mode: string; threshold: number }>(origin, token, 'settings.set', {
      mode: 'avg',
    });
    expect(settings).toMatchObject({ mode: 'avg', threshold: 0.6 });

    const transport = createSocketTransport({
      url: `ws://127.0.0.1:${port}/ws?token=${token}`,
      WebSocket,
      timeoutMs: 30_000,
    });
    const client = createClient(transport);
    const events: ApiEvent[] = [];
    transport.subscribe((event) => events.push(event));
    const sortedFiles = new Set<string>();
    client.on('sorted', (data) => sortedFiles.add(data.file));

    expect(await client.invoke('sort.start')).toEqual({ sorting: true });
    const count = (kind: string) => events.filter((e) => e.event === kind).length;
    await waitFor(events, () => count('sorted') === expected.length && count('review') === 1, 30_000);
    for (const { file, colour } of expected) {
      const event = events.find((e) => e.event === 'sorted' && e.data.file === file);
      expect(event?.event === 'sorted' && event.data.to).toBe(
        `Dataset/${colour}/${path.posix.basename(file)}`,
      );
    }
    expect(events.find((e) => e.event === 'review')?.data).toMatchObject({ file: 'Images/grey.png' });

    // An image dropped into the inbox while sorting runs is sorted, and said so.
    const staging = path.join(await tempDir(), 'new-red.png');
    await writeColourImage(staging, COLOURS.red![0]!, { seed: 4242, width: 200, height: 150 });
    const dropped = performance.now();
    await rename(staging, path.join(root, 'Images/new-red.png'));
    await waitFor(events, () => sortedFiles.has('Images/new-red.png'), 20_000);
    const dropToEvent = performance.now() - dropped;
    const newRed = events.find((e) => e.event === 'sorted' && e.data.file === 'Images/new-red.png');
    expect(newRed?.data).toMatchObject({ class: 'red', to: 'Dataset/red/new-red.png' });
    expect((await stat(path.join(root, 'Dataset/red/new-red.png'))).isFile()).toBe(true);
    await waitFor(
      events,
      (all) => all.some((e) => e.event === 'progress' && e.data.done === e.data.queued && e.data.done >= 14),
      5_000,
    );

    const status = await invoke<{ inbox: number; review: number; sorting: boolean }>(
      origin,
      token,
      'library.status',
    );
    conforms('library.status', status);
    expect(status).toMatchObject({ inbox: 1, review: 1, sorting: true });
    const review = await invoke<{ items: { file: string; top: unknown[] }[] }>(origin, token, 'review.list');
    conforms('review.list', review);
    expect(review.items.map((i) => i.file)).toEqual(['Images/grey.png']);
    expect(review.items[0]!.top).toHaveLength(3);

    const assigned = await invoke<{ batch: string | null }>(origin, token, 'review.assign', {
      file: 'Images/grey.png',
      class: 'grey things',
    });
    expect(assigned).toMatchObject({ file: 'Images/grey.png', to: 'Dataset/grey things/grey.png' });
    conforms('review.assign', assigned);
    expect(typeof assigned.batch).toBe('string');
    expect((await stat(path.join(root, 'Dataset/grey things/grey.png'))).isFile()).toBe(true);
    const recent = await invoke<{ moves: { kind: string; source: string }[] }>(
      origin,
      token,
      'moves.recent',
      {
        limit: 3,
      },
    );
    conforms('moves.recent', recent);
    expect(recent.moves).toHaveLength(3);
    expect(recent.moves[0]).toMatchObject({ kind: 'assign', source: 'Images/grey.png' });

    expect(await client.invoke('sort.stop')).toEqual({ sorting: false });
    await waitFor(events, (all) => all.some((e) => e.event === 'sorting' && !e.data.sorting), 5_000);

    // Latency of a command, over HTTP (keep-alive) and over the WebSocket, one at a time.
    const httpTimes: number[] = [];
    const socketTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      let started = performance.now();
      await invoke(origin, token, 'settings.get');
      httpTimes.push(performance.now() - started);
      started = performance.now();
      await client.invoke('settings.get');
      socketTimes.push(performance.now() - started);
    }
    const http = percentiles(httpTimes);
    const socket = percentiles(socketTimes);
    expect(http.p95).toBeLessThan(250);
    expect(socket.p95).toBeLessThan(250);

    const undo = await invoke<{ restored: unknown[]; skipped: unknown[] }>(origin, token, 'moves.undo', {
      all: true,
    });
    conforms('moves.undo', undo);
    expect(undo.restored).toHaveLength(expected.length + 2);
    expect(undo.skipped).toEqual([]);
    const inboxAfter = await treeHashes(path.join(root, 'Images'));
    expect(inboxAfter.get('new-red.png')).toBeDefined();
    inboxAfter.delete('new-red.png');
    expect(inboxAfter).toEqual(inboxBefore);
    const held = await invoke<{ inbox: number; review: number }>(origin, token, 'library.status');
    expect(held).toMatchObject({ inbox: expected.length + 2, review: expected.length + 2 });

    for (const name of ['classes.list', 'settings.get', 'model.status', 'images.list'] as const) {
      const input = name === 'images.list' ? { folder: 'Images', limit: 5 } : {};
      conforms(name, await invoke(origin, token, name, input));
    }
    transport.close();
    expect(await serve.stop()).toBe(0);
    serve = undefined;
    console.log(
      `drop → sorted event ${Math.round(dropToEvent)} ms; settings.get over HTTP p50 ${http.p50.toFixed(2)} ms ` +
        `p95 ${http.p95.toFixed(2)} ms, over the WebSocket p50 ${socket.p50.toFixed(2)} ms p95 ${socket.p95.toFixed(2)} ms`,
    );
  });

  it('refuses to start on a folder that is not a library, and to switch libraries', async () => {
    const folder = await tempDir();
    await expect(startServe(folder)).rejects.toThrow(/not a ClipSort library/);
    const root = await tempDir();
    await makeColourLibrary(root);
    serve = await startServe(root);
    const other = await tempDir();
    const reply = await postCommand(serve.origin, serve.token, 'library.init', { path: other });
    expect(reply.status).toBe(422);
    expect((reply.json as { error: { code: string } }).error.code).toBe('library-fixed');
    expect(await treeHashes(other)).toEqual(new Map());
  });

  it('takes a body the client cuts off without a stack on stderr, and never redirects off its host', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    serve = await startServe(root);
    const { origin, token, port } = serve;
    for (let i = 0; i < 3; i++) await cutOffBody(port, token);
    for (const attempt of ['//evil.com/', '/\\evil.com/', '//evil.com/%2e%2e', '///evil.com']) {
      const reply = await request(origin, `${attempt}?token=${token}`);
      expect(reply.status, attempt).toBe(404);
      expect(reply.headers.location, attempt).toBeUndefined();
    }
    expect((await postCommand(origin, token, 'library.status', {})).status).toBe(200);
    expect(serve.stderr.join('')).not.toMatch(/aborted|ECONNRESET|\n\s+at /);
  });
});
