/** Where the compiled parts of the desktop app lie, next to the compiled main process. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** `dist/electron/` */
const electronDir = path.dirname(here);

export const appPaths = {
  /** The engine host, run in a utility process. */
  engineHost: path.join(electronDir, 'engineHost.js'),
  /** The sandboxed preload, compiled to CommonJS by `tsconfig.preload.json`. */
  preload: path.join(electronDir, '..', 'preload', 'preload.js'),
};
