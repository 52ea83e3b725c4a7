import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyChange,
  readSettings,
  sortSettings,
  type StoredSettings,
} from '../../electron/api/state/settingsFile.js';
import { useTempDirs } from '../helpers/tempDir.js';

const defaults: StoredSettings = {
  mode: 'avg',
  decideBy: null,
  maxError: null,
  threshold: null,
  margin: null,
  quietSeconds: null,
  classLanguage: 'en',
};

describe('how the settings say images are decided', () => {
  const tempDir = useTempDirs();

  it('promises 2 % once it can by default, with the fixed rule meanwhile', () => {
    expect(sortSettings(defaults)).toMatchObject({
      mode: 'avg',
      maxError: 0.02,
      untilCalibrated: 'threshold',
      threshold: 0.6,
      margin: 0.02,
    });
  });

  it('decides by an error share alone when one is asked for, and by the fixed rule when a threshold is', () => {
    const strict = applyChange(defaults, { maxError: 0.05 });
    expect(strict.decideBy).toBe('error');
    expect(sortSettings(strict)).toMatchObject({ maxError: 0.05, untilCalibrated: 'review' });
    const fixed = applyChange(strict, { threshold: 0.7 });
    expect(fixed.decideBy).toBe('threshold');
    expect(sortSettings(fixed)).not.toHaveProperty('maxError');
    expect(sortSettings(fixed)).toMatchObject({ threshold: 0.7 });
    // Said outright, how to decide wins over what the numbers imply; null is the default again.
    expect(applyChange(fixed, { decideBy: 'error', threshold: 0.8 }).decideBy).toBe('error');
    const auto = applyChange(fixed, { decideBy: null, maxError: 0.1 });
    expect(sortSettings(auto)).toMatchObject({ maxError: 0.1, untilCalibrated: 'threshold', threshold: 0.7 });
  });

  it('reads a file without decideBy by what it holds, and a damaged one as the defaults', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, '.clipsort'));
    const file = path.join(root, '.clipsort/settings.json');
    const older: Partial<StoredSettings> = { ...defaults, threshold: 0.4 };
    delete older.decideBy;
    await writeFile(file, JSON.stringify(older));
    expect((await readSettings(root)).decideBy).toBe('threshold');
    await writeFile(file, JSON.stringify({ ...older, threshold: null, maxError: 0.05 }));
    expect((await readSettings(root)).decideBy).toBe('error');
    await writeFile(file, JSON.stringify({ ...older, threshold: null }));
    expect((await readSettings(root)).decideBy).toBeNull();
    await writeFile(file, '{"mode": ');
    expect(await readSettings(root)).toMatchObject({ mode: 'hybrid', decideBy: null });
  });
});
