/**
 * The renderer's built files (`dist/renderer/`), served as they are. Only files inside that folder are served
 * (checked lexically and by real path); where it has not been built, an honest page says so.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module with a package.json (from source or from dist/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Where the renderer's build lands. */
export const defaultRendererDir = () => path.join(packageRoot(), 'dist', 'renderer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The page served while there is no renderer build: no script, nothing from the library. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ClipSort</title></head>
<body>
<h1>ClipSort is running</h1>
<p>The interface has not been built, so there is no page to show yet (<code>dist/renderer/</code> is missing).</p>
<p>The server itself works: commands answer at <code>POST /api/&lt;command&gt;</code> and over the WebSocket
at <code>/ws</code>.</p>
</body>
</html>
`;

export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * The file of the renderer build a URL path names (`/` is `index.html`), `undefined` when there is none, or
 * the not-built page for `/` when there is no build at all.
 */
export async function rendererFile(dir: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f]/.test(relative) || relative.split('/').some((s) => s === '..' || s === '')) {
    return undefined;
  }
  const root = await realpath(dir).catch(() => undefined);
  if (!root) {
    return relative === 'index.html'
      ? { body: Buffer.from(NOT_BUILT_PAGE), type: TYPES['.html']! }
      : undefined;
  }
  const real = await realpath(path.join(root, ...relative.split('/'))).catch(() => undefined);
  if (!real || path.relative(root, real).startsWith('..') || path.isAbsolute(path.relative(root, real))) {
    return undefined;
  }
  const body = await readFile(real).catch(() => undefined);
  if (!body) return undefined;
  return { body, type: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
}
