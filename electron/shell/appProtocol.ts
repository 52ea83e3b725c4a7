/**
 * The `clipsort://app/` scheme: the renderer's build, and the open library's images (`/image/<path>`) and
 * thumbnails (`/thumb/<path>?size=N`). Library files are answered by the engine host through the path checks of
 * `api/serving/libraryFiles.ts`; every response carries the app's security headers.
 */
import { protocol } from 'electron';
import { defaultRendererDir, rendererFile } from '../api/serving/rendererFiles.js';
import type { EngineProcess } from './engineProcess.js';
import { APP_SCHEME, SECURITY_HEADERS } from './securityPolicy.js';

/** Must run before the app is ready: makes the scheme standard, secure and able to fetch, without bypassing CSP. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

const answer = (status: number, body: string | Buffer | null, type = 'text/plain; charset=utf-8') =>
  new Response(body, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' },
  });

/** Serves the scheme once the app is ready. */
export function setupAppProtocol(engine: EngineProcess, rendererDir = defaultRendererDir()): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return answer(405, 'Only GET is answered here.');
    const url = new URL(request.url);
    if (url.host !== 'app') return answer(404, 'Not found.');
    // The raw path, still encoded: the library checks decode it once and refuse what was encoded twice.
    const pathname = url.pathname;
    for (const route of ['image', 'thumb'] as const) {
      const prefix = `/${route}/`;
      if (!pathname.startsWith(prefix)) continue;
      const encoded = pathname.slice(prefix.length);
      const file = await engine.file(encoded, route === 'thumb' ? url.searchParams.get('size') : undefined);
      return file.ok ? answer(200, Buffer.from(file.bytes), file.type) : answer(file.status, file.message);
    }
    const file = await rendererFile(rendererDir, pathname);
    return file ? answer(200, file.body, file.type) : answer(404, 'Not found.');
  });
}
