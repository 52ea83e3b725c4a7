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

/** An entry of `Classes/` that looks like a class but is left out, and why. */
export interface SkippedClass {
  name: string;
  reason: string;
}

/**
 * The entries of `Classes/` that are symbolic links: they are never followed (a link could make a folder outside
 * the library a class, or make one class two), so they are left out, and said to be, rather than silently
 * missing while their photos go to another class.
 */
export async function skippedClassFolders(root: string): Promise<SkippedClass[]> {
  let entries;
  try {
    entries = await readdir(libraryFolders(root).classes, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isSymbolicLink() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      reason:
        `Classes/${name} is a symbolic link, so it is not used as a class; ` +
        'make it a real folder (with copies of its reference images) to use it.',
    }));
}

/** The classes of the library at `root`, sorted by name (hidden folders and links skipped). */
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
