/**
 * Where the Electron binary of devDependencies lies, if it was downloaded. Read from the `electron` package's
 * `path.txt` directly: requiring the package would start a download when the binary is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What to do when there is no binary, in one line: get it, or use the browser instead. */
export const NO_ELECTRON_BINARY =
  'No Electron binary: run `node node_modules/electron/install.js` (or reinstall without ' +
  'ELECTRON_SKIP_BINARY_DOWNLOAD), then `npm start`; or open the same app in a browser with ' +
  '`npx clipsort serve <library>`.';

/** The binary's absolute path, or `undefined` where it was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary(): string | undefined {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}
