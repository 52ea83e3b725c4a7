import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from '../../electron/api/client.js';
import { ApiError } from '../../electron/api/contract/index.js';
import { MAP_POINT_BYTES, unpackMapPoints } from '../../electron/api/contract/mapPoints.js';
import { startServer, type RunningServer } from '../../electron/api/transports/server.js';
import { createSocketTransport, pageSocketUrl } from '../../electron/api/transports/socketTransport.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('the WebSocket transport', () => {
  const tempDir = useTempDirs();
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function connect() {
    const root = await tempDir();
    await makeColourLibrary(root);
    server = await startServer({ library: root, model: { modelDir: colourModelDir } });
    const transport = createSocketTransport({
      url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
      WebSocket,
      timeoutMs: 10_000,
      reconnectMs: 50,
    });
    return { transport, client: createClient(transport) };
  }

  it('runs commands, delivers events, and reports engine errors as ApiError', async () => {
    const { transport, client } = await connect();
    const status = await client.invoke('library.status');
    expect(status.inbox).toBe(12);
    const created = await client.invoke('classes.create', { name: '  Wild/Animals. ' });
    expect(created).toEqual({ name: 'Wild_Animals', folder: 'Classes/Wild_Animals', created: true });
    expect(await client.invoke('classes.create', { name: 'wild_animals' })).toMatchObject({ created: false });

    const notices: string[] = [];
    client.on('notice', (data) => notices.push(data.message));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the socket opens for listeners too
    server!.api.emit('notice', { message: 'hello' });
    await expect.poll(() => notices, { timeout: 5_000 }).toEqual(['hello']);

    const error: unknown = await client
      .invoke('review.assign', { file: 'Images/missing.png', class: 'red' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('file-missing');
    expect((error as ApiError).message).toContain('Images/missing.png');
    transport.close();
  });

  it('rejects commands once the server is gone, and after close', async () => {
    const { transport, client } = await connect();
    await client.invoke('settings.get');
    await server!.close();
    server = undefined;
    await expect(client.invoke('settings.get')).rejects.toMatchObject({ code: 'disconnected' });
    transport.close();
    await expect(client.invoke('settings.get')).rejects.toMatchObject({ code: 'closed' });
  });

  it("carries the map's points as 16-byte records, and their file names only when the page lacks them", async () => {
    const { transport, client } = await connect();
    await client.invoke('images.embed', {});
    const first = await client.invoke('map.points', {});
    expect(first.points).toBeInstanceOf(Uint8Array);
    expect(first.points.byteLength).toBe(first.total * MAP_POINT_BYTES);
    expect(first.files).toHaveLength(first.total);
    const points = unpackMapPoints(first, first.files!);
    expect(points.filter((p) => p.kind === 'reference').every((p) => p.class !== null)).toBe(true);
    expect(points.some((p) => p.kind === 'inbox' && p.predicted !== null && p.score !== null)).toBe(true);

    // Another projection of the same images: the records come again, the names do not.
    const umap = await client.invoke('map.points', { method: 'umap', filesKey: first.filesKey });
    expect(umap).toMatchObject({ filesKey: first.filesKey, files: null, total: first.total });
    expect(umap.points.byteLength).toBe(first.points.byteLength);
    // The same over HTTP, where the bytes travel as base64 in JSON.
    const { result } = (await (
      await fetch(`http://127.0.0.1:${server!.port}/api/map.points`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server!.token}` },
        body: '{}',
      })
    ).json()) as { result: { points: { $base64: string }; filesKey: string } };
    expect(result.filesKey).toBe(first.filesKey);
    expect(Buffer.from(result.points.$base64, 'base64').equals(Buffer.from(first.points))).toBe(true);
    transport.close();
  });

  it('derives the socket address from the page', () => {
    expect(pageSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000' })).toBe('ws://127.0.0.1:5000/ws');
    expect(pageSocketUrl({ protocol: 'https:', host: 'nas.local' })).toBe('wss://nas.local/ws');
  });
});
