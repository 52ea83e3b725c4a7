import { copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../electron/api/transports/server.js';
import { readImageInfo } from '../../electron/engine/imaging/imageCodec.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { request, type Reply } from './http.js';

/** Paths that try to leave the library, or reach what is not an image, in every encoding. */
const TRAVERSALS = [
  '../outside/secret.png',
  '../../outside/secret.png',
  'Images/../../outside/secret.png',
  'Images/../.clipsort/library.db',
  '%2e%2e/outside/secret.png',
  'Images/%2e%2e/%2e%2e/outside/secret.png',
  'Images/%2E%2E/%2E%2E/outside/secret.png',
  '..%2foutside%2fsecret.png',
  'Images%2f..%2f..%2foutside%2fsecret.png',
  '%252e%252e%252foutside%252fsecret.png',
  'Images%252f..%252f..%252foutside%252fsecret.png',
  'Images/%252e%252e/%252e%252e/outside/secret.png',
  '%2fetc%2fpasswd',
  '/etc/passwd',
  '%2F%2Fserver%2Fshare%2Fx.png',
  'C:%2FWindows%2Fwin.png',
  'C:/Windows/win.png',
  'Images\\..\\..\\outside\\secret.png',
  'Images%5c..%5c..%5coutside%5csecret.png',
  'Images/red-0.jpg%00.png',
  'Images/%00/../red-0.jpg',
  '.clipsort/library.db',
  'Images/notes.txt',
  'Images/link-out.png',
  'Images/linked-folder/secret.png',
  'Images/%E0%A4%A.png',
];

describe('the image and thumbnail routes', () => {
  const tempDir = useTempDirs();
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serveLibrary(options: { rendererDir?: string } = {}) {
    const base = await tempDir();
    const root = path.join(base, 'library');
    await makeColourLibrary(root);
    const outside = path.join(base, 'outside');
    const secret = await writeColourImage(path.join(outside, 'secret.png'), [9, 9, 9]);
    await writeFile(path.join(root, 'Images/notes.txt'), 'not an image');
    await symlink(path.join(outside, 'secret.png'), path.join(root, 'Images/link-out.png'));
    await symlink(outside, path.join(root, 'Images/linked-folder'));
    await symlink(path.join(root, 'Classes/red/ref-0.png'), path.join(root, 'Images/link-in.png'));
    server = await startServer({ library: root, model: { modelDir: colourModelDir }, ...options });
    const get = (urlPath: string, headers: Record<string, string> = {}): Promise<Reply> =>
      request(server!.origin, urlPath, { headers: { Authorization: `Bearer ${server!.token}`, ...headers } });
    return { root, secret, get };
  }

  it.each(['image', 'thumb'])(
    '/%s refuses traversal in every encoding, links out, and non-images',
    async (route) => {
      const { root, secret, get } = await serveLibrary();
      for (const attempt of TRAVERSALS) {
        const reply = await get(`/${route}/${attempt}`);
        expect([400, 403, 404], `${attempt} → ${reply.status} ${reply.text}`).toContain(reply.status);
        expect(reply.body.equals(secret), attempt).toBe(false);
        expect(reply.headers['content-type'], attempt).toMatch(/^text\/plain/);
      }
      const linkOut = await get(`/${route}/Images/link-out.png`);
      expect(linkOut.status).toBe(403);
      expect(linkOut.text).not.toContain(path.dirname(root)); // the link's target is not disclosed
      expect((await get(`/${route}/Images/linked-folder/secret.png`)).status).toBe(403);
    },
  );

  it('serves a real image with its content type, and a link that stays inside the library', async () => {
    const { root, get } = await serveLibrary();
    for (const [file, type] of [
      ['Images/red-0.jpg', 'image/jpeg'],
      ['Images/red-1.png', 'image/png'],
      ['Images/red-2.webp', 'image/webp'],
      ['Classes/blue/ref-1.png', 'image/png'],
      ['Images/link-in.png', 'image/png'],
    ] as const) {
      const reply = await get(`/image/${file}`);
      expect(reply.status, file).toBe(200);
      expect(reply.headers['content-type']).toBe(type);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.body.equals(await readFile(path.join(root, file)))).toBe(true);
      const again = await get(`/image/${file}`, { 'If-None-Match': reply.headers.etag! });
      expect(again.status).toBe(304);
    }
    await mkdir(path.join(root, 'Dataset/wild animals'), { recursive: true });
    await copyFile(path.join(root, 'Images/red-0.jpg'), path.join(root, 'Dataset/wild animals/été 1.jpg'));
    const encoded = await get(`/image/${encodeURIComponent('Dataset/wild animals/été 1.jpg')}`);
    expect(encoded.status).toBe(200);
    expect((await get('/image/Images/missing.png')).status).toBe(404);
    const noToken = await request(server!.origin, '/image/Images/red-0.jpg');
    expect(noToken.status).toBe(401);
  });

  it('makes WebP thumbnails once and serves them from the cache after', async () => {
    const { root, get } = await serveLibrary();
    const first = await get('/thumb/Images/red-0.jpg?size=128');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers['x-thumbnail-cache']).toBe('miss');
    expect(first.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(first.body.subarray(8, 12).toString('latin1')).toBe('WEBP');
    const info = await readImageInfo(first.body, 'thumbnail');
    expect(info.format).toBe('webp');
    expect(Math.max(info.width, info.height)).toBe(128);
    expect(server!.thumbnails.encoded).toBe(1);

    const [sha256] = first.headers.etag!.replace(/"/g, '').split('-');
    const cacheFile = path.join(root, '.clipsort/thumbnails', sha256!.slice(0, 2), `${sha256}-128.webp`);
    const written = await stat(cacheFile);

    // The second request, a size that rounds to the same one, and a copy of the same picture are all cache hits.
    const second = await get('/thumb/Images/red-0.jpg?size=128');
    const rounded = await get('/thumb/Images/red-0.jpg?size=100');
    await copyFile(path.join(root, 'Images/red-0.jpg'), path.join(root, 'Images/copy.jpg'));
    const copy = await get('/thumb/Images/copy.jpg?size=128');
    for (const reply of [second, rounded, copy]) {
      expect(reply.status).toBe(200);
      expect(reply.headers['x-thumbnail-cache']).toBe('hit');
      expect(reply.body.equals(first.body)).toBe(true);
    }
    expect(server!.thumbnails.encoded).toBe(1);
    expect((await stat(cacheFile)).mtimeMs).toBe(written.mtimeMs);
    expect(
      (await get('/thumb/Images/red-0.jpg?size=128', { 'If-None-Match': first.headers.etag! })).status,
    ).toBe(304);

    // Never enlarged; the default size; sizes refused.
    const small = await get('/thumb/Images/red-1.png?size=1024');
    const smallInfo = await readImageInfo(small.body, 'thumbnail');
    expect([smallInfo.width, smallInfo.height]).toEqual([120, 180]);
    expect((await get('/thumb/Images/green-0.jpg')).status).toBe(200);
    for (const size of ['0', '-1', 'abc', '1.5', '5000', '1e3']) {
      expect((await get(`/thumb/Images/red-0.jpg?size=${size}`)).status, size).toBe(400);
    }

    await writeFile(path.join(root, 'Images/broken.jpg'), 'not a picture');
    const broken = await get('/thumb/Images/broken.jpg');
    expect(broken.status).toBe(415);
    expect(broken.text).toMatch(/not an image/);
  });

  it('serves the renderer build only from its folder, and says so when there is none', async () => {
    const rendererDir = path.join(await tempDir(), 'renderer');
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><script src="/assets/app.js"></script>',
    );
    await writeFile(path.join(rendererDir, 'assets/app.js'), 'console.log(1);');
    await writeFile(path.join(path.dirname(rendererDir), 'secret.txt'), 'secret');
    const { get } = await serveLibrary({ rendererDir });
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
    ]) {
      const reply = await get(attempt);
      expect(reply.status, attempt).toBe(404);
      expect(reply.text).not.toContain('secret');
    }
    await server!.close();

    const missing = await serveLibrary({ rendererDir: path.join(rendererDir, 'nothing-here') });
    const notBuilt = await missing.get('/');
    expect(notBuilt.status).toBe(200);
    expect(notBuilt.text).toMatch(/has not been built/);
    expect(notBuilt.text).not.toMatch(/<script/);
  });
});
