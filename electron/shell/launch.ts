/**
 * `npm start`: opens the desktop app with the Electron binary from devDependencies, or says in one line how to
 * get it. better-sqlite3 is the one native module without a stable ABI (sharp and onnxruntime-node use Node-API),
 * so when it does not load under Electron it is rebuilt for Electron first; `npm test` (its `pretest`) and
 * `npm run native:node` build it for Node again, only when needed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, NO_ELECTRON_BINARY } from './electronBinary.js';
import { ensureLoads, sqliteLoads } from './nativeModules.js';

const main = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'main.js');

const binary = electronBinary();
if (!binary) {
  console.error(NO_ELECTRON_BINARY);
  process.exit(1);
}
const asNode = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
const ready = ensureLoads('Electron', {
  probe: () => sqliteLoads(binary, { env: asNode }),
  rebuild: () =>
    spawnSync('npx', ['electron-builder', 'install-app-deps'], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    }).status ?? 1,
  say: (line) => console.log(line),
});
if (ready !== 0) process.exit(ready);
const app = spawnSync(binary, [main], { stdio: 'inherit' });
process.exit(app.status ?? 1);
