import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promptsFor } from '../text/prompts.js';
import { listImageFiles } from './imageFiles.js';
import { libraryFolders } from './libraryPaths.js';

/** A class as it is on disk: `Classes/<name>/`, its reference images and its prompts. */
export interface ClassFolder {
  name: string;
  /** Library-relative paths of the reference images. */
  references: string[];
  /** The text prompts whose mean embedding stands for the class. */
  prompts: string[];
}

/** Prompt override file inside a class folder: one prompt per line; `{}` in a line is filled with the class name. */
export const PROMPT_FILE = 'prompt.txt';

async function readPrompts(folder: string, name: string): Promise<string[]> {
  let text;
  try {
    text = await readFile(path.join(folder, PROMPT_FILE), 'utf8');
  } catch {
    return promptsFor(name);
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  if (lines.length === 0) return promptsFor(name);
  return lines.flatMap((line) => (line.includes('{}') ? promptsFor(name, [line]) : [line]));
}

/** The classes of the library at `root`, sorted by name (hidden folders skipped). */
export async function readClassFolders(root: string): Promise<ClassFolder[]> {
  const { classes } = libraryFolders(root);
  let entries;
  try {
    entries = await readdir(classes, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  folders.sort();
  return Promise.all(
    folders.map(async (name) => {
      const folder = path.join(classes, name);
      return {
        name,
        references: await listImageFiles(root, folder),
        prompts: await readPrompts(folder, name),
      };
    }),
  );
}
