import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetOpenFiles, isOpenForWriting } from '../../electron/engine/move/openWriters.js';
import { quietMsFromEnvironment, waitUntilQuiet } from '../../electron/engine/move/quietFile.js';
import { clipSortError } from '../helpers/errors.js';
import { useTempDirs } from '../helpers/tempDir.js';

const onLinux = process.platform === 'linux';

/** A process that opens `file` with `flags` and holds it until killed. */
async function holdOpen(file: string, flags: string) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:fs').openSync(process.argv[1], '${flags}'); console.log('open'); setInterval(() => {}, 1000);`,
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout, 'data');
  forgetOpenFiles();
  return child;
}

describe('a file nothing is writing', () => {
  const tempDir = useTempDirs();

  it.skipIf(!onLinux)(
    'is told from one another process holds open for writing, not for reading (Linux)',
    async () => {
      const file = path.join(await tempDir(), 'photo.jpg');
      await writeFile(file, 'bytes');
      expect(await isOpenForWriting(await lstat(file, { bigint: true }))).toBe(false);

      const reader = await holdOpen(file, 'r');
      expect(await isOpenForWriting(await lstat(file, { bigint: true }))).toBe(false);
      reader.kill('SIGKILL');

      const writer = await holdOpen(file, 'a');
      expect(await isOpenForWriting(await lstat(file, { bigint: true }))).toBe(true);
      writer.kill('SIGKILL');
      await once(writer, 'exit');
      forgetOpenFiles();
      expect(await isOpenForWriting(await lstat(file, { bigint: true }))).toBe(false);
    },
  );

  it('waits out the rest of the quiet period since the last change, then takes the file', async () => {
    const file = path.join(await tempDir(), 'photo.jpg');
    await writeFile(file, 'bytes');
    const started = Date.now();
    await waitUntilQuiet(file, await lstat(file, { bigint: true }), 'photo.jpg', 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses a file that changed within the quiet period, as still being copied', async () => {
    const file = path.join(await tempDir(), 'photo.jpg');
    await writeFile(file, 'bytes');
    const stats = await lstat(file, { bigint: true });
    setTimeout(() => void writeFile(file, 'bytes and more'), 50);
    const error = await clipSortError(waitUntilQuiet(file, stats, 'photo.jpg', 300));
    expect(error.code).toBe('file-still-copying');
    expect(error.message).toContain('photo.jpg is still being copied');
  });

  it('takes the quiet period from CLIPSORT_QUIET_MS, else 5 s', () => {
    expect(quietMsFromEnvironment({ CLIPSORT_QUIET_MS: '1500' })).toBe(1500);
    expect(quietMsFromEnvironment({})).toBe(5000);
    expect(quietMsFromEnvironment({ CLIPSORT_QUIET_MS: 'soon' })).toBe(5000);
  });
});
