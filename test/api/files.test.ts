import fs, { mkdir, readdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { dot as cosine } from '../../electron/engine/inference/vectors.js';
import { EmbeddingQueue } from '../../electron/engine/embedding/embeddingQueue.js';
import { ClassSetLoader } from '../../electron/engine/sorting/classSet.js';
import { colourModelDir, makeColourLibrary, useColourModel } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { treeHashes } from '../helpers/tree.js';
import { temporaryFiles } from '../move/moveLibrary.js';
import { run } from './runCommand.js';

const tempDir = useTempDirs();
const colourModel = useColourModel();
const model = { modelDir: colourModelDir, threads: 1 };
const opened: ApiService[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((api) => api.close()));
});

/** An API over a fresh colour library (12 inbox images, classes red, green, blue and yellow). */
async function colourApi(): Promise<{ api: ApiService; root: string }> {
  const root = await tempDir();
  await makeColourLibrary(root);
  const api = await ApiService.open(root, { model });
  opened.push(api);
  return { api, root };
}

/** Every file of the library's three folders with its sha256. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const folder of ['Images', 'Classes', 'Dataset']) {
    for (const [file, hash] of await treeHashes(path.join(root, folder))) tree.set(`${folder}/${file}`, hash);
  }
  return tree;
}

/** Embeds library files into the index (as sorting does), so that the index knows them. */
async function embed(api: ApiService, files: string[]): Promise<void> {
  const { root, index } = api.library();
  const queue = new EmbeddingQueue(root, colourModel(), index);
  try {
    for (const outcome of await Promise.all(files.map((file) => queue.embed(file)))) {
      expect(outcome.status, outcome.file).not.toBe('failed');
    }
  } finally {
    await queue.close();
  }
}

describe('files.move', () => {
  it('moves chosen images into Dataset/<class>/ in one batch, skipping with reasons, and one undo puts all back', async () => {
    const { api, root } = await colourApi();
    // A name already taken in the destination, a file already there, a link that leads out, the state folder.
    await mkdir(path.join(root, 'Dataset/red'), { recursive: true });
    await writeFile(path.join(root, 'Dataset/red/red-0.jpg'), 'an unrelated file with the same name');
    await writeFile(path.join(root, 'Dataset/red/kept.png'), 'already sorted');
    const outside = path.join(await tempDir(), 'outside.jpg');
    await writeFile(outside, 'not in the library');
    await symlink(outside, path.join(root, 'Images/escape.jpg'));
    await embed(api, ['Images/red-0.jpg', 'Images/red-1.png']);
    api.library().index.review.put({
      path: 'Images/red-1.png',
      sha256: api.library().index.files.get('Images/red-1.png')!.sha256!,
      size: 1,
      mtimeMs: 1,
      reason: 'unsure',
      best: 'red',
      score: 0.4,
      margin: 0.01,
      top: [],
      model: null,
      mode: null,
    });
    const before = await snapshot(root);

    // The third file vanishes while the first is being moved.
    const link = fs.link.bind(fs);
    vi.spyOn(fs, 'link').mockImplementationOnce(async (from, to) => {
      await unlink(path.join(root, 'Images/red-2.webp'));
      return link(from, to);
    });
    const result = await run(api, 'files.move', {
      files: [
        'Images/red-0.jpg',
        'Images/red-1.png',
        './Images//red-1.png',
        'Images/red-2.webp',
        'Images/yellow-1.png',
        'Dataset/red/kept.png',
        'Images/escape.jpg',
        '.clipsort/library.db',
        'Classes/red/ref-0.png',
      ],
      class: 'RED',
    });

    expect(result.done).toEqual([
      { from: 'Images/red-0.jpg', to: 'Dataset/red/red-0 (2).jpg' },
      { from: 'Images/red-1.png', to: 'Dataset/red/red-1.png' },
      { from: 'Images/yellow-1.png', to: 'Dataset/red/yellow-1.png' },
    ]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      [
        '.clipsort/library.db',
        'Dataset/red/kept.png',
        'Images/escape.jpg',
        'Images/red-2.webp',
        'Classes/red/ref-0.png',
      ].sort(),
    );
    // A reference image stays with its class unless the person asks for it to move too.
    expect(reasons['Classes/red/ref-0.png']).toMatch(/reference image of red stays with its class/);
    expect(reasons['.clipsort/library.db']).toMatch(/state folder/);
    expect(reasons['Dataset/red/kept.png']).toMatch(/already in Dataset\/red/);
    expect(reasons['Images/escape.jpg']).toMatch(/outside|link/);
    expect(reasons['Images/red-2.webp']).toMatch(/not there any more/);
    expect(result.batch).not.toBeNull();

    const after = await snapshot(root);
    expect(after.get('Dataset/red/red-0.jpg')).toBe(before.get('Dataset/red/red-0.jpg'));
    for (const { from, to } of result.done) expect(after.get(to)).toBe(before.get(from));
    expect(await temporaryFiles(root)).toEqual([]);
    const { index } = api.library();
    expect(new Set(index.moves.batch(result.batch!).map((row) => row.batch))).toEqual(
      new Set([result.batch]),
    );
    expect(index.moves.batch(result.batch!)).toHaveLength(3);
    // The index follows the files: the embedded ones are known at their new paths, not the old ones.
    expect(index.files.get('Images/red-0.jpg')).toBeUndefined();
    expect(index.files.get('Dataset/red/red-0 (2).jpg')?.sha256).toBe(before.get('Images/red-0.jpg'));
    expect(index.files.get('Dataset/red/red-1.png')?.sha256).toBe(before.get('Images/red-1.png'));
    expect(index.review.get('Images/red-1.png')).toBeUndefined();

    const undone = await run(api, 'moves.undo', { batch: result.batch });
    expect(undone.skipped).toEqual([]);
    expect(undone.restored).toHaveLength(3);
    const restored = await snapshot(root);
    for (const [file, hash] of before) {
      if (file !== 'Images/red-2.webp') expect(restored.get(file), file).toBe(hash);
    }
    expect(restored.size).toBe(before.size - 1);
    expect(index.files.get('Images/red-0.jpg')?.sha256).toBe(before.get('Images/red-0.jpg'));
  });

  it('moves reference images only with references: true, and undo puts them back in their class', async () => {
    const { api, root } = await colourApi();
    const before = await snapshot(root);
    const kept = await run(api, 'files.move', { files: ['Classes/red/ref-0.png'], class: 'blue' });
    expect(kept).toMatchObject({ done: [], batch: null });
    expect(await snapshot(root)).toEqual(before);
    const moved = await run(api, 'files.move', {
      files: ['Classes/red/ref-0.png'],
      class: 'blue',
      references: true,
    });
    expect(moved.done).toEqual([{ from: 'Classes/red/ref-0.png', to: 'Dataset/blue/ref-0.png' }]);
    await run(api, 'moves.undo', { batch: moved.batch });
    expect(await snapshot(root)).toEqual(before);
    // Making a class by moving takes no other class's references either, unless asked; copying them is fine.
    const made = await run(api, 'classes.fromFiles', {
      name: 'warm',
      files: ['Classes/red/ref-0.png'],
      move: true,
    });
    expect(made.done).toEqual([]);
    expect(made.skipped[0]!.reason).toMatch(/reference image of red stays/);
    const copied = await run(api, 'classes.fromFiles', { name: 'warm', files: ['Classes/red/ref-0.png'] });
    expect(copied.done).toEqual([{ from: 'Classes/red/ref-0.png', to: 'Classes/warm/ref-0.png' }]);
  });

  it('answers a batch of null when nothing moved, and refuses paths outside the library before touching anything', async () => {
    const { api, root } = await colourApi();
    const before = await snapshot(root);
    const nothing = await run(api, 'files.move', { files: ['Images/missing.jpg'], class: 'red' });
    expect(nothing).toMatchObject({ done: [], batch: null });
    expect(nothing.skipped[0]!.reason).toMatch(/not there any more/);
    for (const file of ['../outside.jpg', '/etc/passwd', 'Images/../../x.jpg']) {
      const refused = await api.invoke('files.move', { files: ['Images/red-0.jpg', file], class: 'red' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await snapshot(root)).toEqual(before);
  });
});

describe('classes.fromFiles', () => {
  it('copies chosen images into a new class as reference images, never over a file, skipping what the class has', async () => {
    const { api, root } = await colourApi();
    await mkdir(path.join(root, 'Dataset/warm'), { recursive: true });
    await fs.copyFile(path.join(root, 'Images/yellow-0.jpg'), path.join(root, 'Dataset/warm/red-0.jpg'));
    const before = await snapshot(root);

    const result = await run(api, 'classes.fromFiles', {
      name: '  Sun/sets ',
      files: ['Images/red-0.jpg', 'Dataset/warm/red-0.jpg', 'Images/red-1.png', 'Images/notes.txt'],
    });

    expect(result).toMatchObject({
      name: 'Sun_sets',
      folder: 'Classes/Sun_sets',
      created: true,
      batch: null,
    });
    expect(result.done).toEqual([
      { from: 'Images/red-0.jpg', to: 'Classes/Sun_sets/red-0.jpg' },
      { from: 'Dataset/warm/red-0.jpg', to: 'Classes/Sun_sets/red-0 (2).jpg' },
      { from: 'Images/red-1.png', to: 'Classes/Sun_sets/red-1.png' },
    ]);
    expect(result.skipped).toEqual([
      { file: 'Images/notes.txt', reason: 'Images/notes.txt: this is not an image file.' },
    ]);
    const after = await snapshot(root);
    for (const [file, hash] of before) expect(after.get(file), file).toBe(hash);
    for (const { from, to } of result.done) expect(after.get(to)).toBe(before.get(from));
    expect(await temporaryFiles(root)).toEqual([]);

    // Again, and into the same class under another spelling: every image is there already.
    const again = await run(api, 'classes.fromFiles', {
      name: 'sun_SETS',
      files: ['Images/red-0.jpg', 'Classes/Sun_sets/red-1.png'],
    });
    expect(again).toMatchObject({ name: 'Sun_sets', created: false, done: [] });
    expect(again.skipped.map((s) => s.reason)).toEqual([
      'Images/red-0.jpg: the same image is already a reference image of Sun_sets.',
      'Classes/Sun_sets/red-1.png is already a reference image of Sun_sets.',
    ]);
    expect(await readdir(path.join(root, 'Classes/Sun_sets'))).toHaveLength(3);
  });

  it('skips a file that changes while it is copied and leaves no partial copy', async () => {
    const { api, root } = await colourApi();
    const open = fs.open.bind(fs);
    vi.spyOn(fs, 'open').mockImplementation(async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      // The copy's temporary file has just been created: the source is written to meanwhile.
      if (flags === 'wx') await fs.appendFile(path.join(root, 'Images/blue-0.jpg'), 'more bytes');
      return handle;
    });
    const result = await run(api, 'classes.fromFiles', { name: 'sky', files: ['Images/blue-0.jpg'] });
    expect(result.done).toEqual([]);
    expect(result.skipped[0]!.reason).toMatch(/changed while/);
    expect(await readdir(path.join(root, 'Classes/sky'))).toEqual([]);
  });

  it('moves them instead with move: true, through the journal, and undo puts them back', async () => {
    const { api, root } = await colourApi();
    const before = await snapshot(root);
    const result = await run(api, 'classes.fromFiles', {
      name: 'greenish',
      files: ['Images/green-0.jpg', 'Images/green-1.png'],
      move: true,
    });
    expect(result.done.map((d) => d.to)).toEqual([
      'Classes/greenish/green-0.jpg',
      'Classes/greenish/green-1.png',
    ]);
    expect(result.batch).not.toBeNull();
    const moved = await snapshot(root);
    expect(moved.has('Images/green-0.jpg')).toBe(false);
    expect(
      api
        .library()
        .index.moves.batch(result.batch!)
        .map((row) => row.kind),
    ).toEqual(['assign', 'assign']);
    await run(api, 'moves.undo', { batch: result.batch });
    expect(await snapshot(root)).toEqual(before);
  });

  it('gives copies that are embedded as the class references when the classes are read again', async () => {
    const { api, root } = await colourApi();
    const result = await run(api, 'classes.fromFiles', {
      name: 'crimson',
      files: ['Images/red-0.jpg', 'Images/red-1.png'],
    });
    expect(result.done).toHaveLength(2);
    const { index } = api.library();
    const queue = new EmbeddingQueue(root, colourModel(), index);
    try {
      const loaded = await new ClassSetLoader(root, colourModel(), queue).load();
      expect(loaded.errors).toEqual([]);
      const crimson = loaded.classes.find((c) => c.name === 'crimson')!;
      expect(crimson.references).toHaveLength(2);
      const originals = await Promise.all(
        ['Images/red-0.jpg', 'Images/red-1.png'].map((f) => queue.embed(f)),
      );
      for (const [i, outcome] of originals.entries()) {
        if (outcome.status === 'failed') throw new Error(outcome.error);
        expect(cosine(crimson.references[i]!, outcome.vector)).toBeCloseTo(1, 5);
      }
      // The colour model embeds by dominant colour: the new class's references are red, not blue.
      const red = loaded.classes.find((c) => c.name === 'red')!;
      const blue = loaded.classes.find((c) => c.name === 'blue')!;
      expect(cosine(crimson.references[0]!, red.references[0]!)).toBeGreaterThan(
        cosine(crimson.references[0]!, blue.references[0]!),
      );
    } finally {
      await queue.close();
    }
  });
});

describe('moves.undo by id', () => {
  it('undoes just the chosen move, holds it for review, and says why other ids cannot be undone', async () => {
    const { api, root } = await colourApi();
    const before = await snapshot(root);
    const moved = await run(api, 'files.move', {
      files: ['Images/blue-0.jpg', 'Images/blue-1.png', 'Images/blue-2.webp'],
      class: 'blue',
    });
    const { moves } = await run(api, 'moves.recent', { limit: 10 });
    const middle = moves.find((m) => m.source === 'Images/blue-1.png')!;

    const undone = await run(api, 'moves.undo', { ids: [middle.id] });
    expect(undone).toEqual({
      restored: [{ from: 'Dataset/blue/blue-1.png', to: 'Images/blue-1.png' }],
      skipped: [],
      // Dataset/blue/ still holds the other blue images.
      removedFolders: [],
    });
    const after = await snapshot(root);
    expect(after.get('Images/blue-1.png')).toBe(before.get('Images/blue-1.png'));
    expect(after.has('Dataset/blue/blue-0.jpg')).toBe(true);
    expect(after.has('Dataset/blue/blue-2.webp')).toBe(true);
    expect(api.library().index.review.get('Images/blue-1.png')?.reason).toBe('undone');

    const undoRow = (await run(api, 'moves.recent', { limit: 1 })).moves[0]!;
    const again = await run(api, 'moves.undo', { ids: [middle.id, undoRow.id, 99_999] });
    expect(again.restored).toEqual([]);
    expect(again.skipped).toEqual([
      {
        file: 'Dataset/blue/blue-1.png',
        reason:
          'The move of Images/blue-1.png to Dataset/blue/blue-1.png was not undone: it was undone already.',
      },
      {
        file: 'Images/blue-1.png',
        reason:
          'The move of Dataset/blue/blue-1.png to Images/blue-1.png was not undone: it is itself an undo.',
      },
      { file: '#99999', reason: 'There is no move #99999.' },
    ]);

    // The same safety as a batch undo: a file changed since it was moved stays where it is.
    await fs.appendFile(path.join(root, 'Dataset/blue/blue-0.jpg'), 'edited');
    const first = moves.find((m) => m.source === 'Images/blue-0.jpg')!;
    const changed = await run(api, 'moves.undo', { ids: [first.id] });
    expect(changed.restored).toEqual([]);
    expect(changed.skipped[0]!.reason).toMatch(/modified after it was moved/);
    expect(moved.batch).not.toBeNull();
    const refused = await api.invoke('moves.undo', { ids: [first.id], batch: moved.batch });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
