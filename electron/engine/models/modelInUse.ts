/**
 * Which model of the models home is in use, kept in the models home itself so that every face (the app, `serve`,
 * the command line) that shares the folder uses the same model. Without a choice, or when the chosen model is gone,
 * the catalogue's default is used when it is installed, else the first installed model by name.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClipSortError } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { modelIdSchema } from './manifest.js';
import { checkLayout } from './modelLayout.js';

/** The choice's file; a leading dot keeps it out of the model folders listed. */
export const IN_USE_FILE = '.in-use.json';

const inUseRecord = z.object({ model: modelIdSchema });

/** The model chosen in `modelsHome`, or null when none was (or the record is unreadable, which is no choice). */
export async function readInUse(modelsHome: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path.join(modelsHome, IN_USE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return inUseRecord.parse(JSON.parse(text)).model;
  } catch {
    return null;
  }
}

/** Whether `<modelsHome>/<id>` holds a model that can be loaded. */
async function isUsable(modelsHome: string, id: string): Promise<boolean> {
  return (await checkLayout(path.join(modelsHome, id))).complete;
}

/**
 * The model of `modelsHome` to load: the one chosen if it is usable, else `fallback` (the catalogue's default) if
 * it is, else the first usable model by name, else `fallback` (whose absence is then what a face reports).
 */
export async function resolveInUse(modelsHome: string, fallback: string): Promise<string> {
  return (await usableInUse(modelsHome, fallback)) ?? fallback;
}

/** Like {@link resolveInUse}, but null when no model of `modelsHome` is usable. */
async function usableInUse(modelsHome: string, fallback: string): Promise<string | null> {
  const chosen = await readInUse(modelsHome);
  for (const id of chosen ? [chosen, fallback] : [fallback]) {
    if (await isUsable(modelsHome, id)) return id;
  }
  const names = await readdir(modelsHome).catch(() => [] as string[]);
  for (const name of names.sort()) {
    if (modelIdSchema.safeParse(name).success && (await isUsable(modelsHome, name))) return name;
  }
  return null;
}

/** The folder of the installed model `id`; throws `model-missing` unless it is installed and usable. */
export async function installedFolder(modelsHome: string, id: string): Promise<string> {
  if (!(await isUsable(modelsHome, id))) {
    throw new ClipSortError(
      'model-missing',
      `${id} is not installed in ${modelsHome}; \`clipsort models list\` shows the installed models.`,
    );
  }
  return path.join(modelsHome, id);
}

/** Makes `id` the model in use; throws `model-missing` unless it is installed and usable. */
export async function setInUse(modelsHome: string, id: string): Promise<void> {
  await installedFolder(modelsHome, id);
  await writeFileDurably(path.join(modelsHome, IN_USE_FILE), `${JSON.stringify({ model: id })}\n`);
}

/**
 * Makes `id` the model in use when no usable model is in use yet (a first download or import), so that what a
 * person just installed is what sorts. Returns whether it did.
 */
export async function claimInUse(modelsHome: string, id: string, fallback: string): Promise<boolean> {
  const current = await usableInUse(modelsHome, fallback);
  if (current !== null && current !== id) return false;
  await setInUse(modelsHome, id);
  return true;
}
