import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../electron/engine/classify/scores.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { cliPath, runClipsort, runClipsortJson } from '../helpers/cli.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { hasHeifEnc, heifEncNote, writeHeic } from '../helpers/heic.js';
import { COLOURS, writeColourImage } from '../helpers/images.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { hashMultiset, treeHashes } from '../helpers/tree.js';

const model = ['--model-dir', colourModelDir];

interface SortJson {
  sorted: { file: string; class: string; to: string; score: number; margin: number }[];
  review: { file: string; reason: string; best: string; score: number; margin: number }[];
  errors: { file: string; error: string }[];
}

describe('clipsort sort', () => {
  const tempDir = useTempDirs();

  it.each(MODES)('moves every image to its class in %s mode, and undo --all puts them back', async (mode) => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    const before = await treeHashes(path.join(root, 'Images'));

    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', mode]);
    expect(result.errors).toEqual([]);
    expect(result.review).toEqual([]);
    const where = Object.fromEntries(result.sorted.map((s) => [s.file, s.to]));
    for (const { file, colour } of expected) {
      expect(where[file]).toBe(`Dataset/${colour}/${path.posix.basename(file)}`);
    }
    expect((await treeHashes(path.join(root, 'Images'))).size).toBe(0);
    const dataset = await treeHashes(path.join(root, 'Dataset'));
    expect(hashMultiset(dataset)).toEqual(hashMultiset(before));
    // The index follows each file to its new path.
    const index = LibraryIndex.open(root);
    for (const { file, colour } of expected) {
      expect(index.files.get(file)).toBeUndefined();
      const moved = `Dataset/${colour}/${path.posix.basename(file)}`;
      expect(index.files.get(moved)?.sha256).toBe(dataset.get(moved.slice('Dataset/'.length)));
    }
    index.close();

    const undo = runClipsortJson<{ restored: unknown[]; skipped: unknown[]; removedFolders: string[] }>([
      'undo',
      root,
      '--all',
    ]);
    expect(undo.restored).toHaveLength(expected.length);
    expect(await treeHashes(path.join(root, 'Images'))).toEqual(before);
    // The class folders the sort created are gone again; Dataset/ itself stays.
    const classes = [...new Set(expected.map((e) => `Dataset/${e.colour}`))].sort();
    expect([...undo.removedFolders].sort()).toEqual(classes);
    expect(await readdir(path.join(root, 'Dataset'))).toEqual([]);
  });

  it('does not sort again what an undo put back, until it changes', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max']);
    runClipsortJson<unknown>(['undo', root]);
    const again = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max']);
    expect(again.sorted).toEqual([]);
    expect(again.review.map((r) => r.file).sort()).toEqual(expected.map((e) => e.file).sort());
    const review = runClipsortJson<{ review: { reason: string }[] }>(['review', root]);
    expect(new Set(review.review.map((r) => r.reason))).toEqual(new Set(['undone']));

    const changed = expected[0]!;
    await writeColourImage(path.join(root, changed.file), COLOURS[changed.colour]![2]!, { seed: 999 });
    const third = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max']);
    expect(third.sorted.map((s) => [s.file, s.class])).toEqual([[changed.file, changed.colour]]);
  });

  it('gives an undone image suggestions, says why it waits, and files it again with --recheck', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max']);
    runClipsortJson<unknown>(['undo', root, ...model]);
    interface ReviewJson {
      review: { file: string; best: string | null; top: { name: string }[] }[];
    }
    const waiting = runClipsortJson<ReviewJson>(['review', root]).review;
    expect(waiting).toHaveLength(expected.length);
    for (const item of waiting) {
      const colour = expected.find((e) => e.file === item.file)!.colour;
      expect(item.best).toBe(colour);
      expect(item.top).toHaveLength(Math.min(3, new Set(expected.map((e) => e.colour)).size));
      expect(item.top[0]!.name).toBe(colour);
    }

    const text = runClipsort(['sort', root, ...model, '--mode', 'max']);
    expect(text.stdout).not.toMatch(/unsure/);
    expect(text.stdout).toMatch(
      /waiting for review: put back by undo \(best \w+, score \d\.\d{3}\); `clipsort sort --recheck` files it/,
    );

    const again = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'max', '--recheck']);
    expect(again.review).toEqual([]);
    expect(again.sorted.map((s) => [s.file, s.class]).sort()).toEqual(
      expected.map((e) => [e.file, e.colour]).sort(),
    );
    expect(runClipsortJson<ReviewJson>(['review', root]).review).toEqual([]);
  });

  it('--dry-run decides but moves nothing', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const before = await treeHashes(root);
    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'text', '--dry-run']);
    expect(result.sorted.length).toBeGreaterThan(0);
    const after = await treeHashes(root);
    after.forEach((_, file) => file.startsWith('.clipsort/') && after.delete(file));
    before.forEach((_, file) => file.startsWith('.clipsort/') && before.delete(file));
    expect(after).toEqual(before);
  });

  it('notes a class without reference images in sort and watch, in an image mode only', async () => {
    const root = await tempDir();
    const inbox = await makeColourLibrary(root);
    await mkdir(path.join(root, 'Classes/purple'));
    const note = 'clipsort: note: class "purple" has no reference images; it is scored by its text prompt.\n';
    const sorted = runClipsort(['sort', root, ...model, '--mode', 'avg', '--dry-run']);
    expect(sorted.code).toBe(0);
    expect(sorted.stderr).toBe(note);
    expect(runClipsort(['sort', root, ...model, '--mode', 'text', '--dry-run']).stderr).toBe('');

    const child = spawn(process.execPath, [cliPath, 'watch', root, ...model, '--mode', 'avg', '--dry-run'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLIPSORT_MODEL_DIR: '' },
    });
    let [stdout, stderr] = ['', ''];
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    try {
      // A dry watch says what it would move, and moves nothing.
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          stdout += text;
          if (stdout.includes('Watching') && stdout.includes('would move Images/')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`watch exited ${code}: ${stderr}`)));
      });
      expect(stderr).toBe(note);
      expect(await readdir(path.join(root, 'Images'))).toHaveLength(inbox.length);
    } finally {
      // A watch that did not end on SIGTERM would outlive the test: wait for it, and kill it if it hangs.
      const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
      child.kill();
      const ended = await Promise.race([exited, setTimeout(30_000, false, { ref: false })]);
      if (!ended) child.kill('SIGKILL');
      expect(ended, 'watch ended on SIGTERM').toBe(true);
    }
  });

  it.skipIf(!hasHeifEnc)(`files an iPhone's HEIC photo like any other${heifEncNote}`, async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const png = path.join(await tempDir(), 'blue.png');
    await writeColourImage(png, COLOURS.blue![1]!, { width: 320, height: 240 });
    await writeHeic(png, path.join(root, 'Images/IMG_0007.HEIC'));
    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'avg']);
    expect(result.errors).toEqual([]);
    expect(result.sorted.find((s) => s.file === 'Images/IMG_0007.HEIC')?.to).toBe(
      'Dataset/blue/IMG_0007.HEIC',
    );
  });

  it('leaves videos in Images/, counted and never called errors', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await writeFile(path.join(root, 'Images/clip.mp4'), Buffer.alloc(2048, 7));
    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'avg']);
    expect(result.errors).toEqual([]);
    expect(await readdir(path.join(root, 'Images'))).toEqual(['clip.mp4']);
    expect(runClipsortJson<{ videos: number; inbox: number }>(['status', root])).toMatchObject({
      videos: 1,
      inbox: 0,
    });
    expect(runClipsort(['status', root]).stdout).toContain(
      '1 video in Images/, not sorted (ClipSort sorts photos)',
    );
  });

  it('names the formats it cannot read yet, and leaves them where they are', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await writeFile(
      path.join(root, 'Images/scan.jxl'),
      Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.alloc(64, 1)]),
    );
    await writeFile(path.join(root, 'Images/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'avg']);
    const reasons = Object.fromEntries(result.errors.map((e) => [e.file, e.error]));
    expect(reasons['Images/scan.jxl']).toMatch(/JPEG XL images are not supported yet/);
    expect(reasons['Images/logo.svg']).toMatch(/SVG drawings are not sorted/);
    expect((await readdir(path.join(root, 'Images'))).sort()).toEqual(['logo.svg', 'scan.jxl']);
  });

  it('says what a dry run would move, and names each failed file once', async () => {
    const root = await tempDir();
    const expected = await makeColourLibrary(root);
    await writeFile(path.join(root, 'Images/broken.jpg'), 'not a picture');
    const text = runClipsort(['sort', root, ...model, '--mode', 'text', '--dry-run']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('would move Images/'))).toHaveLength(expected.length);
    expect(lines.at(-1)).toMatch(/ \(dry run: nothing was moved\)$/);
    const broken = lines.filter((line) => line.includes('broken.jpg'));
    expect(broken).toHaveLength(1);
    expect(broken[0]!.split('Images/broken.jpg')).toHaveLength(2);
  });

  it('keeps unsure and bad images in Images/, lists them, and lets a person assign them', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const grey = 'Images/grey.png';
    await writeColourImage(path.join(root, grey), [128, 128, 128], { clutter: 0 });
    await writeFile(path.join(root, 'Images/broken.jpg'), 'not a picture');
    const result = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'avg']);
    expect(result.review.map((r) => r.file)).toEqual([grey]);
    expect(result.errors).toEqual([
      { file: 'Images/broken.jpg', error: expect.stringMatching(/not an image/) as string },
    ]);
    const stillThere = await treeHashes(path.join(root, 'Images'));
    expect([...stillThere.keys()].sort()).toEqual(['broken.jpg', 'grey.png']);

    const status = runClipsortJson<{ inbox: number; review: number; errors: unknown[] }>(['status', root]);
    expect(status).toMatchObject({ inbox: 2, review: 1 });
    expect(status.errors).toHaveLength(1);
    const review = runClipsortJson<{ review: { file: string; top: unknown[] }[] }>(['review', root]);
    expect(review.review.map((r) => r.file)).toEqual([grey]);
    expect(review.review[0]!.top).toHaveLength(3);

    // A second pass leaves both where they are, without asking again.
    const again = runClipsortJson<SortJson>(['sort', root, ...model, '--mode', 'avg']);
    expect(again.sorted).toEqual([]);

    const assigned = runClipsortJson<{ to: string }>(['assign', root, grey, 'grey things']);
    expect(assigned.to).toBe('Dataset/grey things/grey.png');
    expect(runClipsortJson<{ review: unknown[] }>(['review', root]).review).toEqual([]);
  });

  it('refuses to assign a file outside the library', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const outside = path.join(await tempDir(), 'x.png');
    await writeColourImage(outside, [1, 2, 3]);
    const run = runClipsort(['assign', root, outside, 'red']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not inside the library|outside the library/);
  });
});
