import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract/index.js';
import { ApiService } from '../../electron/api/state/apiService.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

const model = { modelDir: colourModelDir, threads: 1 };

describe('sorting in one pass and previewing, through the command table', () => {
  const tempDir = useTempDirs();

  it('sorts the inbox once, announcing each image and the progress, pausing sorting meanwhile', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const api = await ApiService.open(root, { model });
    const seen: ApiEvent[] = [];
    api.subscribe((event) => seen.push(event));
    try {
      const report = await run(api, 'sort.pass', { quietSeconds: 0 });
      expect(report.sorted.map((s) => s.file).sort()).toEqual(expected.map((e) => e.file).sort());
      for (const { file, class: name, to } of report.sorted) {
        expect(name).toBe(expected.find((e) => e.file === file)!.colour);
        expect(existsSync(path.join(root, to))).toBe(true);
      }
      expect(await readdir(path.join(root, 'Images'))).toEqual([]);
      const sortedEvents = seen.filter((e) => e.event === 'sorted');
      expect(sortedEvents).toHaveLength(expected.length);
      const last = seen.filter((e) => e.event === 'progress').at(-1);
      expect(last?.data).toMatchObject({ queued: expected.length, done: expected.length });

      // The pass was one batch: undo takes it back.
      const undone = await run(api, 'moves.undo', {});
      expect(undone.restored).toHaveLength(expected.length);

      await run(api, 'sort.start', { quietSeconds: 0, dryRun: true });
      const during = await run(api, 'sort.pass', { dryRun: true });
      // The undone images wait: an undo is taken back only on a person's recheck.
      expect(during.review.map((r) => r.reason)).toEqual(expected.map(() => 'undone'));
      expect((await run(api, 'library.status')).sorting).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('tries settings for one run without changing the library, and moves nothing on a dry run', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const api = await ApiService.open(root, { model });
    try {
      const strict = await run(api, 'sort.pass', { mode: 'max', threshold: 1, dryRun: true });
      expect(strict.sorted).toEqual([]);
      expect(strict.review).toHaveLength(expected.length);
      expect((await readdir(path.join(root, 'Images'))).length).toBe(expected.length);
      // Nothing waits for review after a dry run, and the library's settings are its own still.
      expect((await run(api, 'review.list')).items).toEqual([]);
      expect(await run(api, 'settings.get')).toMatchObject({ mode: 'hybrid', threshold: 0.5 });
    } finally {
      await api.close();
    }
  });

  it('says why each image waits, and files those that now clear when asked to recheck', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const api = await ApiService.open(root, { model });
    try {
      const strict = await run(api, 'sort.pass', { mode: 'max', threshold: 1, quietSeconds: 0 });
      expect(new Set(strict.review.map((r) => r.reason))).toEqual(new Set(['score']));
      const narrow = await run(api, 'sort.pass', { mode: 'max', threshold: 1, margin: 2, quietSeconds: 0 });
      expect(narrow.review.every((r) => r.reason === 'score' || r.reason === 'margin')).toBe(true);
      // Today's rule would file them, but an earlier decision holds them until a person asks.
      const held = await run(api, 'sort.pass', { mode: 'max', quietSeconds: 0 });
      expect(held.sorted).toEqual([]);
      expect(new Set(held.review.map((r) => r.reason))).toEqual(new Set(['held']));
      const items = (await run(api, 'review.list')).items;
      expect(items.every((item) => item.top.length > 0 && item.best !== null)).toBe(true);
      const rechecked = await run(api, 'sort.pass', { mode: 'max', quietSeconds: 0, recheck: true });
      expect(rechecked.sorted).toHaveLength(expected.length);
      expect((await run(api, 'review.list')).items).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("previews every inbox image's class with the mode and rule asked for, embedding with progress", async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const api = await ApiService.open(root, { model });
    const progress: ApiEvent[] = [];
    api.subscribe((event) => event.event === 'embedding' && progress.push(event));
    try {
      const preview = await run(api, 'sort.preview', { mode: 'avg', margin: 2 });
      expect(preview.decision).toEqual({ threshold: 0.6, margin: 2 });
      expect(preview.predictions.map((p) => [p.file, p.class]).sort()).toEqual(
        expected.map((e) => [e.file, e.colour]).sort(),
      );
      expect(preview.predictions.every((p) => p.review)).toBe(true);
      expect(Object.keys(preview.predictions[0]!.scores).sort()).toEqual(
        [...new Set(expected.map((e) => e.colour))].sort(),
      );
      expect(progress.at(-1)?.data).toMatchObject({ done: expect.any(Number) as number });
      const { done, total } = progress.at(-1)!.data as { done: number; total: number };
      expect(done).toBe(total);
      expect((await readdir(path.join(root, 'Images'))).length).toBe(expected.length);
    } finally {
      await api.close();
    }
  });

  it('opens a library to look while another holds it, and refuses to move anything from there', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const holder = await ApiService.open(root, { model });
    const looker = await ApiService.open(root, { model, access: { access: 'read' } });
    try {
      expect((await run(looker, 'library.status')).inbox).toBeGreaterThan(0);
      for (const [name, input] of [
        ['sort.start', {}],
        ['sort.pass', {}],
        ['moves.undo', {}],
        ['review.assign', { file: 'Images/red-0.jpg', class: 'blue' }],
      ] as const) {
        const outcome = await looker.invoke(name, input);
        expect(outcome, name).toMatchObject({ ok: false, error: { code: 'library-read-only' } });
      }
      expect(existsSync(path.join(root, 'Images/red-0.jpg'))).toBe(true);
      // A dry run moves nothing, so looking is enough for it.
      expect((await run(looker, 'sort.pass', { dryRun: true })).sorted.length).toBeGreaterThan(0);
    } finally {
      await looker.close();
      await holder.close();
    }
  });
});
