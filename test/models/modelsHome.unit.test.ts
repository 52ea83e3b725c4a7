import { expect, it } from 'vitest';
import { defaultModelsHome } from '../../electron/engine/models/modelsHome.js';

it.each([
  ['linux', {}, '/home/ann/.cache/clipsort/models'],
  ['linux', { XDG_CACHE_HOME: '/var/cache/ann' }, '/var/cache/ann/clipsort/models'],
  ['linux', { XDG_CACHE_HOME: 'relative/ignored' }, '/home/ann/.cache/clipsort/models'],
  ['darwin', {}, '/home/ann/Library/Application Support/ClipSort/models'],
  [
    'win32',
    { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' },
    'C:\\Users\\ann\\AppData\\Local\\ClipSort\\models',
  ],
  ['linux', { CLIPSORT_MODELS_HOME: '/data/models', XDG_CACHE_HOME: '/x' }, '/data/models'],
] as const)('on %s with %j: %s', (platform, env, expected) => {
  expect(defaultModelsHome({ platform, env, home: '/home/ann' })).toBe(expected);
});
