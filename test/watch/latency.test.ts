import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { WATCH_DEFAULTS, watchLibrary } from '../../electron/engine/watch/libraryWatcher.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { Recorder, makeLibrary, sleep, waitFor } from './libraryHarness.js';

const tempDir = useTempDirs();

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

it('reports a file stableMs to stableMs + a few polls after its last write (default timings)', async () => {
  const root = await makeLibrary(await tempDir());
  const recorder = new Recorder();
  const watcher = await watchLibrary(root, recorder.handlers);
  try {
    const lastWrites = new Map<string, number>();
    // 30 files, each written in 4 chunks 80 ms apart, starting 37 ms after one another.
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await sleep(i * 37);
        const file = path.join(root, 'Images', `f${i}.jpg`);
        await writeFile(file, Buffer.alloc(5000, 1));
        for (let chunk = 1; chunk < 4; chunk++) {
          await sleep(80);
          await appendFile(file, Buffer.alloc(5000, chunk));
        }
        lastWrites.set(`Images/f${i}.jpg`, Date.now());
      }),
    );
    await waitFor(() => recorder.files.length >= 30, '30 files');
    const latencies = recorder.files
      .map((file) => file.at - lastWrites.get(file.path)!)
      .sort((a, b) => a - b);
    const [p50, p95] = [percentile(latencies, 50), percentile(latencies, 95)];
    console.info(
      `last write → onFile with stableMs ${WATCH_DEFAULTS.stableMs}, pollMs ${WATCH_DEFAULTS.pollMs}: ` +
        `p50 ${p50} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms`,
    );
    expect(recorder.files.every((file) => file.size === 20_000)).toBe(true);
    expect(latencies[0]).toBeGreaterThanOrEqual(WATCH_DEFAULTS.stableMs - 20);
    expect(p95).toBeLessThan(WATCH_DEFAULTS.stableMs + 1000); // generous: test files run side by side on 2 cores
  } finally {
    await watcher.close();
  }
});
