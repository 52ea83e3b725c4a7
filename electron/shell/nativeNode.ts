/**
 * `npm run native:node` (and `pretest`): makes sure better-sqlite3 loads under Node, for the tests and the command
 * line, after `npm start` may have built it for Electron. Rebuilds it only when it does not load.
 */
import { spawnSync } from 'node:child_process';
import { ensureLoads, sqliteLoads } from './nativeModules.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

process.exitCode = ensureLoads('Node', {
  probe: () => sqliteLoads(process.execPath),
  rebuild: () =>
    spawnSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit', shell: process.platform === 'win32' })
      .status ?? 1,
  say: (line) => console.log(line),
});
