/**
 * Copies a model folder the person already has (an export in the transformers.js layout, or a Hugging Face
 * cache snapshot, whose files are links) into the models home. The copy is built in a hidden staging folder and
 * renamed into place whole, so the models home never shows a half-imported model.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { copyFileDurably, fsyncDir } from '../fs/durable.js';
import { isAlive, lockFolder } from './folderLock.js';
import { modelIdSchema } from './manifest.js';
import {
  checkLayout,
  encoderFiles,
  isDirectory,
  isFile,
  LAYOUTS,
  MODEL_RECORD_FILE,
  type LayoutName,
} from './modelLayout.js';
import { writeModelRecord, type RecordedFile } from './modelRecord.js';
import type { InstalledModel } from './downloadModel.js';

export interface ImportModelOptions {
  /** The name to install it under; the folder's name unless set. */
  id?: string;
  /** Replace a model of that name already in the models home. */
  force?: boolean;
}

/** Imports the model folder `sourceDir` into `<modelsHome>/<id>`, recording the sha256 of each file copied. */
export async function importModel(
  sourceDir: string,
  modelsHome: string,
  options: ImportModelOptions = {},
): Promise<InstalledModel> {
  const source = path.resolve(sourceDir);
  if (!(await isDirectory(source))) {
    throw new ClipSortError(
      'model-invalid',
      `${source} is not a folder; give the folder that holds the model.`,
    );
  }
  const layout = await checkLayout(source);
  if (!layout.complete) {
    throw new ClipSortError(
      'model-invalid',
      `${source} is not a complete CLIP model folder in the ${layout.layout} layout: ` +
        `${layout.missing.join(', ')} missing. A model folder holds either onnx/vision_model.onnx and ` +
        'onnx/text_model.onnx (or their _quantized variants), tokenizer.json and preprocessor_config.json ' +
        '(transformers.js), or visual/model.onnx, visual/preprocess_cfg.json, textual/model.onnx, ' +
        'textual/tokenizer.json and config.json (Immich).',
    );
  }
  const id = options.id ?? path.basename(source);
  if (!modelIdSchema.safeParse(id).success) {
    throw new ClipSortError(
      'model-invalid',
      `"${id}" cannot name a model: use letters, digits, ".", "_" and "-" (choose one with --id).`,
    );
  }
  await mkdir(modelsHome, { recursive: true });
  const home = await realpath(modelsHome);
  const target = path.join(home, id);
  const realSource = await realpath(source);
  if (isInside(realSource, target) || isInside(target, realSource)) {
    throw new ClipSortError('model-invalid', `${source} is already in the models home as ${target}.`);
  }
  const exists = await pathExists(target);
  if (exists && !options.force) {
    throw new ClipSortError(
      'model-exists',
      `A model named ${id} is already installed at ${target}; pass --force to replace it or --id to choose ` +
        'another name.',
    );
  }

  await removeAbandonedStaging(home);
  const staging = path.join(home, `.import-${process.pid}-${randomBytes(4).toString('hex')}-${id}`);
  try {
    const files: RecordedFile[] = [];
    for (const file of await filesToImport(source, layout.layout)) {
      await mkdir(path.dirname(path.join(staging, file)), { recursive: true });
      const copied = await copyFileDurably(path.join(source, file), path.join(staging, file));
      files.push({ path: file, ...copied });
    }
    await writeModelRecord(staging, {
      format: 1,
      id,
      source: { kind: 'import', path: source },
      files,
      installedAt: new Date().toISOString(),
    });
    await fsyncDir(staging);
    await moveIntoPlace(staging, target, exists, id);
    return { id, path: target, files, added: files.map((file) => file.path) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The encoders there are, and the small configuration files of the layout (tokenizer, preprocessing, config). */
async function filesToImport(source: string, layout: LayoutName): Promise<string[]> {
  const files: string[] = [];
  for (const file of encoderFiles(layout)) {
    if (await isFile(path.join(source, file))) files.push(file);
  }
  for (const dir of LAYOUTS[layout].configDirs) {
    for (const name of (await readdir(path.join(source, dir))).sort()) {
      if (name.startsWith('.') || name === MODEL_RECORD_FILE || !/\.(json|txt)$/.test(name)) continue;
      const file = path.posix.join(dir, name);
      if (await isFile(path.join(source, file))) files.push(file);
    }
  }
  return files;
}

/** Renames the staged model to `target`, setting aside (then deleting) the model it replaces. */
async function moveIntoPlace(staging: string, target: string, replacing: boolean, id: string): Promise<void> {
  if (!replacing) {
    await rename(staging, target);
    await fsyncDir(path.dirname(target));
    return;
  }
  const unlock = await lockFolder(target, `the model ${id}`);
  const replaced = path.join(
    path.dirname(target),
    `.replaced-${process.pid}-${randomBytes(4).toString('hex')}-${id}`,
  );
  try {
    await rename(target, replaced);
  } catch (error) {
    await unlock();
    throw error;
  }
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(replaced, target); // put the old model back
    await unlock();
    throw error;
  }
  await fsyncDir(path.dirname(target));
  await rm(replaced, { recursive: true, force: true }); // its lock goes with it
}

/**
 * Cleans up after imports whose process died: staged copies are deleted; a model set aside for replacement is
 * put back when nothing took its place, and deleted otherwise.
 */
async function removeAbandonedStaging(home: string): Promise<void> {
  for (const name of await readdir(home)) {
    const match = /^\.(import|replaced)-(\d+)-[0-9a-f]+-(.+)$/.exec(name);
    if (!match || isAlive(Number(match[2])) || !modelIdSchema.safeParse(match[3]).success) continue;
    const original = path.join(home, match[3] ?? '');
    if (match[1] === 'replaced' && !(await pathExists(original)))
      await rename(path.join(home, name), original);
    else await rm(path.join(home, name), { recursive: true, force: true });
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function pathExists(file: string): Promise<boolean> {
  return (await isDirectory(file)) || (await isFile(file));
}
