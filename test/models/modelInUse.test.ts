import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimInUse,
  IN_USE_FILE,
  readInUse,
  resolveInUse,
  setInUse,
} from '../../electron/engine/models/modelInUse.js';
import { fakeModelFiles, makeScratchDir, writeModelFolder } from '../helpers/modelFolders.js';

const DEFAULT = 'clip-default';
let home: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: home, remove: removeDir } = await makeScratchDir());
});
afterEach(() => removeDir());

const install = (id: string) => writeModelFolder(path.join(home, id), fakeModelFiles());

describe('the model in use', () => {
  it('is the default without a choice, and nothing usable makes it the default too', async () => {
    expect(await resolveInUse(home, DEFAULT)).toBe(DEFAULT);
    await install('zeta');
    await install('alpha');
    // No choice and no default installed: the first usable model by name.
    expect(await resolveInUse(home, DEFAULT)).toBe('alpha');
    await install(DEFAULT);
    expect(await resolveInUse(home, DEFAULT)).toBe(DEFAULT);
  });

  it('is the one chosen while it is usable, else falls back', async () => {
    await install('mine');
    await install(DEFAULT);
    await setInUse(home, 'mine');
    expect(await readInUse(home)).toBe('mine');
    expect(await resolveInUse(home, DEFAULT)).toBe('mine');
    await rm(path.join(home, 'mine', 'tokenizer.json'));
    expect(await resolveInUse(home, DEFAULT)).toBe(DEFAULT);
  });

  it('refuses to choose a model that is not installed, keeping the choice', async () => {
    await install('mine');
    await setInUse(home, 'mine');
    await expect(setInUse(home, 'gone')).rejects.toMatchObject({ code: 'model-missing' });
    expect(await readInUse(home)).toBe('mine');
  });

  it('is claimed by a model just installed only when no other model is usable', async () => {
    await install('first');
    expect(await claimInUse(home, 'first', DEFAULT)).toBe(true);
    await install('second');
    expect(await claimInUse(home, 'second', DEFAULT)).toBe(false);
    expect(await resolveInUse(home, DEFAULT)).toBe('first');
    // The model in use is gone: the next model installed takes over.
    await rm(path.join(home, 'first'), { recursive: true });
    await install('third');
    expect(await claimInUse(home, 'third', DEFAULT)).toBe(false); // `second` is usable, and found first
    expect(await resolveInUse(home, DEFAULT)).toBe('second');
  });

  it('reads a damaged record as no choice', async () => {
    await install('mine');
    await writeFile(path.join(home, IN_USE_FILE), '{"model": "../etc"');
    expect(await readInUse(home)).toBeNull();
    expect(await resolveInUse(home, DEFAULT)).toBe('mine');
  });
});
