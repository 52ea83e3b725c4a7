import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../electron/api/transports/server.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { cutOffBody, postCommand, rawRequest, request } from './http.js';

describe('clipsort serve, odd requests', () => {
  const tempDir = useTempDirs();
  let server: RunningServer | undefined;
  const internal: unknown[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    internal.length = 0;
  });

  async function serve() {
    const root = await tempDir();
    await makeColourLibrary(root);
    server = await startServer({
      library: root,
      model: { modelDir: colourModelDir, threads: 1 },
      rendererDir: await tempDir(),
      onInternalError: (error) => internal.push(error),
    });
    return server;
  }

  it.each(['//evil.com/', '/\\evil.com/', '//evil.com/%2e%2e', '///evil.com', '/\\/evil.com', '/%5c/x'])(
    'never redirects %s to another host, with the token in the query',
    async (attempt) => {
      const { origin, token } = await serve();
      const reply = await request(origin, `${attempt}?token=${token}`);
      const location = reply.headers.location;
      if (location !== undefined) {
        expect(new URL(location, `${origin}/`).origin, `${attempt} → ${location}`).toBe(origin);
        expect(location, attempt).toMatch(/^\/(?![/\\])/);
      } else {
        expect(reply.status, attempt).toBe(404);
      }
      expect(internal).toEqual([]);
    },
  );

  it('never redirects an absolute-form request target to the host it names', async () => {
    const { port, token } = await serve();
    const answer = await rawRequest(
      port,
      `GET http://evil.com/?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).not.toMatch(/^location:/im);
  });

  it('still moves the token from the address into a cookie on its own paths', async () => {
    const { origin, token } = await serve();
    const reply = await request(origin, `/index.html?token=${token}&lang=es`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/index.html?lang=es');
    expect(reply.headers['set-cookie']?.[0]).toContain(token);
  });

  it('takes a body cut off by the client quietly, and keeps answering', async () => {
    const { port, origin, token } = await serve();
    for (let i = 0; i < 3; i++) await cutOffBody(port, token);
    // The server saw the resets before this answer comes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await postCommand(origin, token, 'library.status', {})).status).toBe(200);
    expect(internal).toEqual([]);
  });
});
