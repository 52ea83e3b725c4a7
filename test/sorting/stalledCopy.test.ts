/**
 * A copy that stalls half-way while `watch` runs and Dataset/ is on another disk (so the move copies and then
 * removes the source). The first half is a complete JPEG (trailing data follows, as in Motion Photos), so it
 * decodes and would be filed half-written if ClipSort took it before the copier was done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { lstat, readFile, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { walk } from '../helpers/tree.js';
import { waitFor } from '../watch/libraryHarness.js';
import { acrossDevices, acrossDevicesNote, useFarDirs } from '../move/farDevice.js';

/** Writes `first` then, `pauseMs` later, `rest` to `file`: holding it open throughout, or closing in between. */
const COPIER = `
const fs = require('node:fs');
const [file, firstFile, restFile, pauseMs, mode] = process.argv.slice(1);
let fd = fs.openSync(file, 'w');
fs.writeSync(fd, fs.readFileSync(firstFile));
if (mode === 'reopen') fs.closeSync(fd);
process.stdout.write('half\\n');
setTimeout(() => {
  if (mode === 'reopen') fd = fs.openSync(file, 'a');
  fs.writeSync(fd, fs.readFileSync(restFile));
  fs.closeSync(fd);
}, Number(pauseMs));
`;

function watch(
  root: string,
  quietMs: number,
): { child: ChildProcess; lines: () => { kind: string; file?: string }[] } {
  const child = spawn(process.execPath, [cliPath, 'watch', root, '--model-dir', colourModelDir, '--json'], {
    env: { ...process.env, CLIPSORT_MODEL_DIR: '', CLIPSORT_QUIET_MS: String(quietMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const lines = () =>
    out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { kind: string; file?: string });
  return { child, lines };
}

describe('a copy that stalls half-way into the inbox', () => {
  const tempDir = useTempDirs();
  const farDir = useFarDirs();

  it.skipIf(!acrossDevices).each([
    { mode: 'open', quietMs: 1_000, why: 'the copier holds it open for writing' },
    { mode: 'reopen', quietMs: 3_000, why: 'it changed within the quiet period' },
  ])(
    `is filed whole, never half, when $why${acrossDevicesNote}`,
    async ({ mode, quietMs }) => {
      const root = await tempDir();
      await makeColourLibrary(root);
      for (const name of await readdir(path.join(root, 'Images'))) await rm(path.join(root, 'Images', name));
      const far = await farDir();
      await rm(path.join(root, 'Dataset'), { recursive: true, force: true });
      await symlink(far, path.join(root, 'Dataset'));

      const scratch = await tempDir();
      const jpeg = await writeColourImage(path.join(scratch, 'red.jpg'), COLOURS.red![0]!, {
        width: 320,
        height: 240,
      });
      const trailer = randomBytes(3_000_000);
      const whole = Buffer.concat([jpeg, trailer]);
      const half = Math.floor(whole.length / 2);
      await Promise.all([
        import('node:fs/promises').then((fs) =>
          fs.writeFile(path.join(scratch, 'first'), whole.subarray(0, half)),
        ),
        import('node:fs/promises').then((fs) =>
          fs.writeFile(path.join(scratch, 'rest'), whole.subarray(half)),
        ),
      ]);

      const watcher = watch(root, quietMs);
      await waitFor(
        () => watcher.lines().some((line) => line.kind === 'watching'),
        'the watcher to start',
        30_000,
      );
      const copier = spawn(
        process.execPath,
        [
          '-e',
          COPIER,
          path.join(root, 'Images/motion.jpg'),
          path.join(scratch, 'first'),
          path.join(scratch, 'rest'),
          '2000',
          mode,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await once(copier.stdout, 'data');
      await once(copier, 'exit');
      await waitFor(
        () => watcher.lines().some((line) => line.kind === 'sorted'),
        'the photo to be sorted',
        60_000,
      );
      watcher.child.kill('SIGINT');
      await once(watcher.child, 'exit');

      const filed = (await walk(far)).filter((name) => !name.startsWith('.'));
      expect(filed).toEqual(['red/motion.jpg']);
      expect((await readFile(path.join(far, 'red/motion.jpg'))).equals(whole)).toBe(true);
      expect((await lstat(path.join(far, 'red/motion.jpg'))).nlink).toBe(1);
      expect(await readdir(path.join(root, 'Images'))).toEqual([]);
    },
    90_000,
  );
});
