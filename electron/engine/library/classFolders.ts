import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promptsFor } from '../text/prompts.js';
import { listImageFiles } from './imageFiles.js';
import { libraryFolders } from './libraryPaths.js';
import { readPromptFile, type PromptNotice } from './promptFile.js';

/** A class as it is on disk: `Classes/<name>/`, its reference images and its prompts. */
export interface ClassFolder {
  name: string;
  /** Library-relative paths of the reference images. */
  references: string[];
  /** The text prompts whose mean embedding stands for the class. */
  prompts: string[];
  /** What of its prompt file was left out, and why (too long, not a regular file); empty when nothing was. */
  notices: PromptNotice[];
}

/** Prompt override file inside a class folder: one prompt per line; `{}` in a line is filled with the class name. */
export const PROMPT_FILE = 'prompt.txt';

async function readPrompts(
  folder: string,
  name: string,
): Promise<{ prompts: string[]; notices: PromptNotice[] }> {
  const { lines, notices } = await readPromptFile(
    path.join(folder, PROMPT_FILE),
    `Classes/${name}/${PROMPT_FILE}`,
  );
  if (lines.length === 0) return { prompts: promptsFor(name), notices };
  return {
    prompts: lines.flatMap((line) => (line.includes('{}') ? promptsFor(name, [line]) : [line])),
    notices,
  };
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
      const [references, { prompts, notices }] = await Promise.all([
        listImageFiles(root, folder),
        readPrompts(folder, name),
      ]);
      return { name, references, prompts, notices };
    }),
  );
}
