import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../electron/api/contract/index.js';
import { numberOrNull } from '../../renderer/src/lib/forms.js';
import { missingSteps, modelUsable } from '../../renderer/src/lib/readiness.js';

type ModelStatus = CommandResult<'model.status'>;
type AppInfo = CommandResult<'app.info'>;

const status = (change: Partial<ModelStatus>): ModelStatus => ({
  state: 'idle',
  folder: null,
  message: null,
  precision: null,
  download: null,
  modelsHome: '/home/me/.cache/clipsort/models',
  models: [],
  ...change,
});
const listing = (change: Partial<ModelStatus['models'][number]>): ModelStatus['models'][number] => ({
  id: 'clip-vit-base-patch32',
  name: 'CLIP ViT-B/32',
  inCatalogue: true,
  isDefault: true,
  state: 'not-installed',
  path: '/home/me/.cache/clipsort/models/clip-vit-base-patch32',
  variants: [],
  size: null,
  source: null,
  problem: null,
  inUse: true,
  ...change,
});
const info = (library: AppInfo['library']): AppInfo => ({
  face: 'browser',
  canSwitchLibrary: false,
  library,
  recentLibraries: [],
});

describe('whether ClipSort can start', () => {
  it('knows a model is usable when loaded, loading, found, installed or just downloaded', () => {
    expect(modelUsable(undefined)).toBe(false);
    expect(modelUsable(status({ state: 'ready', folder: '/m' }))).toBe(true);
    expect(modelUsable(status({ state: 'loading' }))).toBe(true);
    expect(modelUsable(status({ folder: '/m' }))).toBe(true);
    expect(modelUsable(status({ models: [listing({ state: 'installed' })] }))).toBe(true);
    const done = { model: 'm', state: 'done' as const, file: null, received: 9, total: 9, message: null };
    expect(modelUsable(status({ download: done }))).toBe(true);
  });

  it('knows a model is missing when the engine says so, or nothing installed is in use', () => {
    expect(modelUsable(status({ state: 'missing', message: 'No CLIP model was found' }))).toBe(false);
    expect(modelUsable(status({ state: 'failed', folder: '/m' }))).toBe(false);
    expect(modelUsable(status({ models: [listing({})] }))).toBe(false);
    expect(modelUsable(status({ models: [listing({ state: 'partial' })] }))).toBe(false);
    expect(modelUsable(status({ models: [listing({ state: 'installed', inUse: false })] }))).toBe(false);
  });

  it('lists the steps still to do', () => {
    const library = { name: 'photos', path: '/p/photos' };
    expect(missingSteps(undefined, undefined)).toEqual(['library', 'model']);
    expect(missingSteps(info(null), status({ state: 'ready' }))).toEqual(['library']);
    expect(missingSteps(info(library), status({ state: 'missing' }))).toEqual(['model']);
    expect(missingSteps(info(library), status({ state: 'ready' }))).toEqual([]);
  });

  it('reads number fields: empty is the default, garbage is refused', () => {
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('  ')).toBeNull();
    expect(numberOrNull('0.25')).toBe(0.25);
    expect(numberOrNull('-1')).toBe(-1);
    expect(numberOrNull('abc')).toBeUndefined();
    expect(numberOrNull('Infinity')).toBeUndefined();
  });
});
