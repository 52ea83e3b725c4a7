import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import {
  modelIdSchema,
  type Manifest,
  type ModelEntry,
  type ModelFigures,
  type ModelStrength,
  type ModelVariant,
} from './manifest.js';
import { checkLayout, isDirectory, MODEL_RECORD_FILE, type LayoutName } from './modelLayout.js';
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
  /** Whether it is the model the faces use (or would load); see {@link ListModelsOptions.inUse}. */
  inUse: boolean;
  /** The languages folder names can be written in (ISO 639-1); absent (unknown) for a model only imported. */
  languages?: string[];
  /** The catalogue's layout, else the one the folder has. */
  layout?: LayoutName;
  /** What the catalogue states about the model, for choosing one; absent for a model only imported. */
  licence?: ModelEntry['licence'];
  figures?: ModelFigures;
  strengths?: ModelStrength[];
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

export interface ListModelsOptions {
  /**
   * The folder of the model in use: the one named by the face, else the models home's choice (`resolveInUse`).
   * Without it no model is in use, as when none would be found.
   */
  inUse?: string;
}

/** The catalogue's models and any other model in `modelsHome`, each with its install state. */
export async function listModels(
  manifest: Manifest,
  modelsHome: string,
  options: ListModelsOptions = {},
): Promise<ModelListing[]> {
  const inUse = options.inUse === undefined ? undefined : path.resolve(options.inUse);
  const isInUse = (dir: string) => inUse !== undefined && path.resolve(dir) === inUse;
  const listings: ModelListing[] = [];
  for (const entry of manifest.models) {
    const dir = path.join(modelsHome, entry.id);
    listings.push({
      ...(await inspect(dir)),
      id: entry.id,
      name: entry.name,
      inCatalogue: true,
      isDefault: entry.id === manifest.default,
      inUse: isInUse(dir),
      languages: entry.languages,
      layout: entry.layout,
      licence: entry.licence,
      ...(entry.figures ? { figures: entry.figures } : {}),
      strengths: entry.strengths,
    });
  }
  const names = await readdir(modelsHome).catch(() => []);
  for (const name of names.sort()) {
    if (manifest.models.some((entry) => entry.id === name) || !modelIdSchema.safeParse(name).success)
      continue;
    const dir = path.join(modelsHome, name);
    if (!(await isDirectory(dir))) continue;
    listings.push({
      ...(await inspect(dir)),
      id: name,
      inCatalogue: false,
      isDefault: false,
      inUse: isInUse(dir),
    });
  }
  return listings;
}

type Inspection = Pick<
  ModelListing,
  'state' | 'path' | 'variants' | 'size' | 'source' | 'problem' | 'layout'
>;

async function inspect(dir: string): Promise<Inspection> {
  if (!(await isDirectory(dir))) return { state: 'not-installed', path: dir, variants: [] };
  const layout = await checkLayout(dir);
  const record = await readModelRecord(dir).catch((error: unknown) => {
    if (error instanceof ClipSortError) return undefined; // damaged: reported as missing
    throw error;
  });
  const found = {
    path: dir,
    layout: layout.layout,
    variants: layout.variants,
    ...(record ? { source: record.source.kind } : {}),
  };
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
