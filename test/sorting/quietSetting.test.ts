/**
 * The quiet period is a setting of the library: set on the page (settings.set), it is what `clipsort sort` waits
 * for too, unless `--quiet` says otherwise for one run.
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { databasePath } from '../../electron/engine/library/libraryPaths.js';
import { openDatabase } from '../../electron/engine/store/database.js';
import { run } from '../api/runCommand.js';
import { runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';

/** Milliseconds from each sorted file's last change (its ctime before the move) to the end of its move. */
function waitedMs(root: string, changedAt: Map<string, number>): number[] {
  const db = openDatabase(databasePath(root));
  try {
    const rows = db
      .prepare("SELECT source, finished_at FROM moves WHERE state = 'done' AND kind = 'sort'")
      .all() as { source: string; finished_at: number }[];
    return rows.map((row) => row.finished_at - changedAt.get(row.source)!);
  } finally {
    db.close();
  }
}

/** Only the photos a test writes are in the inbox. */
async function emptyInbox(root: string): Promise<void> {
  await rm(path.join(root, 'Images'), { recursive: true });
  await mkdir(path.join(root, 'Images'));
}

async function freshReds(root: string, count: number): Promise<Map<string, number>> {
  const changedAt = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const file = `Images/fresh-${i}.png`;
    await writeColourImage(path.join(root, file), COLOURS.red![0]!, { seed: 500 + i });
    changedAt.set(file, (await lstat(path.join(root, file))).ctimeMs);
  }
  return changedAt;
}

describe('the quiet period as a setting', () => {
  const tempDir = useTempDirs();

  it('is set on the page, kept with the library, and waited for by clipsort sort', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await emptyInbox(root);
    const api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    try {
      // The tests' machine default is 0 (CLIPSORT_QUIET_MS); the library asks for 2 s.
      expect(await run(api, 'settings.get')).toMatchObject({
        quietSeconds: 0,
        defaults: { quietSeconds: 0 },
      });
      expect(await run(api, 'settings.set', { quietSeconds: 2 })).toMatchObject({ quietSeconds: 2 });
      expect((await api.invoke('settings.set', { quietSeconds: -1 })).ok).toBe(false);
    } finally {
      await api.close();
    }

    const changedAt = await freshReds(root, 3);
    const report = runClipsortJson<{ sorted: unknown[] }>(['sort', root, '--model-dir', colourModelDir]);
    expect(report.sorted).toHaveLength(3);
    for (const waited of waitedMs(root, changedAt)) expect(waited).toBeGreaterThanOrEqual(2000);
  });

  it('gives way to --quiet for one run, refused out of range as the page refuses it', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await emptyInbox(root);
    const api = await ApiService.open(root, { model: { modelDir: colourModelDir, threads: 1 } });
    await run(api, 'settings.set', { quietSeconds: 0 });
    await api.close();

    const changedAt = await freshReds(root, 2);
    const report = runClipsortJson<{ sorted: unknown[] }>([
      'sort',
      root,
      '--model-dir',
      colourModelDir,
      '--quiet',
      '1.5',
    ]);
    expect(report.sorted).toHaveLength(2);
    for (const waited of waitedMs(root, changedAt)) expect(waited).toBeGreaterThanOrEqual(1500);
    const refused = runClipsort(['sort', root, '--model-dir', colourModelDir, '--quiet', '-1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Expected 0 to 600 seconds');
  });
});
