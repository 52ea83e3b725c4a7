/**
 * `npm start`: opens the desktop app with the Electron binary from devDependencies, or says in one line how to
 * get it. better-sqlite3 is the one native module without a stable ABI (sharp and onnxruntime-node use Node-API),
 * so when it does not load under Electron it is rebuilt for Electron first; `npm run native:node` undoes that.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, NO_ELECTRON_BINARY } from './electronBinary.js';

const main = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'main.js');

const binary = electronBinary();
if (!binary) {
  console.error(NO_ELECTRON_BINARY);
  process.exit(1);
}
const asNode = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
const probe = spawnSync(binary, ['-e', "require('better-sqlite3')(':memory:').close()"], { env: asNode });
if (probe.status !== 0) {
  console.log(
    'Building better-sqlite3 for Electron (`npm run native:node` builds it for Node again, for the tests).',
  );
  const rebuilt = spawnSync('npx', ['electron-builder', 'install-app-deps'], { stdio: 'inherit' });
  if (rebuilt.status !== 0) process.exit(rebuilt.status ?? 1);
}
const app = spawnSync(binary, [main], { stdio: 'inherit' });
process.exit(app.status ?? 1);
