import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { modelIdSchema, type Manifest, type ModelVariant } from './manifest.js';
import { checkLayout, isDirectory, MODEL_RECORD_FILE } from './modelLayout.js';
import { readModelRecord } from './modelRecord.js';
import { count } from '../units.js';

/**
 * `installed`: usable, recorded and whole; `partial`: a folder is there but something is missing or a download into
 * it did not finish (see `problem`).
 */
export type InstallState = 'installed' | 'partial' | 'not-installed';

/** One model of the catalogue or of the models home. */
export interface ModelListing {
  id: string;
  /** The catalogue's display name; absent for a model only imported. */
  name?: string;
  inCatalogue: boolean;
  isDefault: boolean;
  state: InstallState;
  path: string;
  /** Encoder variants present. */
  variants: ModelVariant[];
  /** Recorded bytes on disk. */
  size?: number;
  source?: 'download' | 'import';
  /** Why a folder counts as partial. */
  problem?: string;
}

/** The catalogue's models and any other model in `modelsHome`, each with its install state. */
export async function listModels(manifest: Manifest, modelsHome: string): Promise<ModelListing[]> {
  const listings: ModelListing[] = [];
  for (const entry of manifest.models) {
    listings.push({
      ...(await inspect(path.join(modelsHome, entry.id))),
      id: entry.id,
      name: entry.name,
      inCatalogue: true,
      isDefault: entry.id === manifest.default,
    });
  }
  const names = await readdir(modelsHome).catch(() => []);
  for (const name of names.sort()) {
    if (manifest.models.some((entry) => entry.id === name) || !modelIdSchema.safeParse(name).success)
      continue;
    const dir = path.join(modelsHome, name);
    if (!(await isDirectory(dir))) continue;
    listings.push({ ...(await inspect(dir)), id: name, inCatalogue: false, isDefault: false });
  }
  return listings;
}

type Inspection = Pick<ModelListing, 'state' | 'path' | 'variants' | 'size' | 'source' | 'problem'>;

async function inspect(dir: string): Promise<Inspection> {
  if (!(await isDirectory(dir))) return { state: 'not-installed', path: dir, variants: [] };
  const layout = await checkLayout(dir);
  const record = await readModelRecord(dir).catch((error: unknown) => {
    if (error instanceof ClipSortError) return undefined; // damaged: reported as missing
    throw error;
  });
  const found = { path: dir, variants: layout.variants, ...(record ? { source: record.source.kind } : {}) };
  const downloading = (await readdir(dir, { recursive: true })).filter((name) =>
    name.endsWith('.part'),
  ).length;
  const unfinished = downloading > 0 ? `${count(downloading, 'file')} partly downloaded` : undefined;
  if (!layout.complete) {
    const problem = [`missing ${layout.missing.join(', ')}`, unfinished].filter(Boolean).join('; ');
    return { ...found, state: 'partial', problem };
  }
  if (!record) {
    const problem = `no ${MODEL_RECORD_FILE} (a download did not finish, or it was copied by hand)`;
    return { ...found, state: 'partial', problem };
  }
  for (const file of record.files) {
    const size = await stat(path.join(dir, file.path)).then(
      (info) => info.size,
      () => undefined,
    );
    if (size !== file.size) {
      return {
        ...found,
        state: 'partial',
        problem: `${file.path} is missing or changed; run \`clipsort models verify\``,
      };
    }
  }
  const size = record.files.reduce((sum, file) => sum + file.size, 0);
  // Usable, but a download into it did not finish: `models download` finishes it.
  if (unfinished) return { ...found, state: 'partial', size, problem: unfinished };
  return { ...found, state: 'installed', size };
}
