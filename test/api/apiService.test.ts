import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/api/state/apiService.js';
import { colourModelDir, makeColourLibrary } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { run } from './runCommand.js';

describe('ApiService', () => {
  const tempDir = useTempDirs();
  const model = { modelDir: colourModelDir, threads: 1 };

  it('opens, creates and switches libraries where the face may', async () => {
    const api = new ApiService({ model, allowLibrarySwitch: true });
    try {
      expect(await api.invoke('library.status', {})).toMatchObject({
        ok: false,
        error: { code: 'no-library' },
      });
      const fresh = path.join(await tempDir(), 'Photos');
      const init = await run(api, 'library.init', {
        path: fresh,
      });
      expect(init.library.name).toBe('Photos');
      expect(init.created).toEqual(expect.arrayContaining(['Images', 'Classes', 'Dataset']));
      expect(await run(api, 'library.status')).toMatchObject({ inbox: 0, classes: [], sorting: false });

      const colours = await tempDir();
      await makeColourLibrary(colours);
      await mkdir(path.join(colours, '.clipsort'), { recursive: true });
      await run(api, 'library.open', { path: colours });
      expect(await run(api, 'library.status')).toMatchObject({ inbox: 12 });
      const notLibrary = await api.invoke('library.open', { path: await tempDir() });
      expect(notLibrary).toMatchObject({ ok: false, error: { code: 'not-a-library' } });
      expect(await run(api, 'library.status')).toMatchObject({ inbox: 12 });
    } finally {
      await api.close();
    }
  });

  it('keeps settings with the library, with null meaning the mode default', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    await mkdir(path.join(root, '.clipsort'), { recursive: true });
    const api = await ApiService.open(root, { model });
    // By default: the promise of 2 % once the labelled photos support it, the mode's fixed rule until then.
    expect(await run(api, 'settings.get')).toMatchObject({
      mode: 'hybrid',
      decideBy: 'error',
      untilCalibrated: 'threshold',
      maxError: 0.02,
      threshold: 0.5,
      margin: 0.2,
      defaults: { maxError: 0.02, threshold: 0.5, margin: 0.2 },
      threads: 1,
      provider: 'cpu',
    });
    // The class names' language is the computer's until one is set.
    const computer = new Intl.Locale(Intl.DateTimeFormat().resolvedOptions().locale).language;
    expect(await run(api, 'settings.get')).toMatchObject({
      classLanguage: computer,
      defaults: { classLanguage: computer },
    });
    await run(api, 'settings.set', { mode: 'max', margin: 0.05, classLanguage: 'es' });
    await api.close();
    expect(JSON.parse(await readFile(path.join(root, '.clipsort/settings.json'), 'utf8'))).toEqual({
      mode: 'max',
      decideBy: 'threshold',
      maxError: null,
      threshold: null,
      margin: 0.05,
      quietSeconds: null,
      classLanguage: 'es',
    });
    const reopened = await ApiService.open(root, { model });
    expect(await run(reopened, 'settings.get')).toMatchObject({
      mode: 'max',
      threshold: 0.7,
      margin: 0.05,
      classLanguage: 'es',
    });
    expect(await run(reopened, 'settings.set', { margin: null, classLanguage: null })).toMatchObject({
      margin: 0.02,
      classLanguage: computer,
    });
    await expect(run(reopened, 'settings.set', { classLanguage: 'Spanish!' })).rejects.toThrow(
      /language tag/,
    );
    // An error share asked for decides alone, holding photos until it can be promised; a threshold set again
    // brings the fixed rule back; `decideBy: null` the default.
    await run(reopened, 'settings.set', { margin: 0.05 });
    expect(await run(reopened, 'settings.set', { maxError: 0.05 })).toMatchObject({
      decideBy: 'error',
      untilCalibrated: 'review',
      maxError: 0.05,
      margin: 0.05,
    });
    expect(await run(reopened, 'settings.set', { threshold: 0.8 })).toMatchObject({
      decideBy: 'threshold',
      maxError: 0.05,
      threshold: 0.8,
    });
    expect(await run(reopened, 'settings.set', { decideBy: null })).toMatchObject({
      decideBy: 'error',
      untilCalibrated: 'threshold',
      maxError: 0.05,
      threshold: 0.8,
    });
    expect(await run(reopened, 'settings.set', { decideBy: 'threshold' })).toMatchObject({
      decideBy: 'threshold',
    });
    await expect(run(reopened, 'settings.set', { maxError: 1 })).rejects.toThrow();
    await reopened.close();
  });

  it('lists classes and images with library-relative paths, a page at a time', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const api = await ApiService.open(root, { model });
    try {
      const { classes } = await run(api, 'classes.list');
      expect(classes.map((c) => c.name)).toEqual(['blue', 'green', 'red', 'yellow']);
      expect(classes[2]).toMatchObject({
        folder: 'Classes/red',
        references: ['Classes/red/ref-0.png', 'Classes/red/ref-1.png'],
      });
      const page = await run(api, 'images.list', {
        folder: 'Images',
        offset: 10,
        limit: 5,
      });
      expect(page).toEqual({ total: 12, images: ['Images/yellow-1.png', 'Images/yellow-2.webp'] });
      expect(await run(api, 'images.list', { folder: 'Dataset' })).toEqual({ total: 0, images: [] });
      expect(await run(api, 'model.status')).toMatchObject({
        state: 'idle',
        folder: colourModelDir,
        message: null,
        download: null,
      });
      expect(await api.invoke('review.assign', { file: '.clipsort/library.db', class: 'red' })).toMatchObject(
        {
          ok: false,
          error: { code: 'path-outside-library' },
        },
      );
    } finally {
      await api.close();
    }
  });

  it('says clearly when sorting cannot start without a model', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const api = await ApiService.open(root, { model: { modelDir: path.join(root, 'no-model') } });
    const events: string[] = [];
    api.subscribe((event) => events.push(event.event === 'model' ? event.data.state : event.event));
    try {
      const started = await api.invoke('sort.start', {});
      expect(started).toMatchObject({ ok: false, error: { code: 'model-missing' } });
      expect(await run(api, 'model.status')).toMatchObject({ state: 'missing' });
      expect(events).toEqual(['loading', 'missing']);
      expect(await run(api, 'library.status')).toMatchObject({ sorting: false });
    } finally {
      await api.close();
    }
  });
});
