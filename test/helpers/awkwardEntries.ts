/**
 * Entries of a folder that Node's path strings cannot reach: names that are not valid UTF-8 (made with Buffer
 * paths) and paths longer than PATH_MAX (made, read and removed one folder at a time from inside, by chdir).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The absolute path `base/…/name` as bytes, with `rawName` (and `rawFolder`, when given) as raw bytes. */
export function rawPath(base: string, rawName: Buffer, rawFolder?: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from(`${base}/`)];
  if (rawFolder) parts.push(rawFolder, Buffer.from('/'));
  parts.push(rawName);
  return Buffer.concat(parts);
}

/** Writes `bytes` at `base/[rawFolder/]rawName`, creating the raw folder. */
export async function writeRaw(
  base: string,
  rawName: Buffer,
  bytes: Buffer,
  rawFolder?: Buffer,
): Promise<void> {
  if (rawFolder) await mkdir(rawPath(base, rawFolder), { recursive: true });
  await writeFile(rawPath(base, rawName, rawFolder), bytes);
}

export const readRaw = (base: string, rawName: Buffer, rawFolder?: Buffer) =>
  readFile(rawPath(base, rawName, rawFolder));

/** `count` folder names of `width` characters: `aaa…`, `bbb…`, … */
export const longNames = (count: number, width: number) =>
  Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i).repeat(width));

/** Runs `work` with the working directory at `base/names…` (made when `create`), and restores it. */
function inside<T>(base: string, names: readonly string[], create: boolean, work: () => T): T {
  const cwd = process.cwd();
  try {
    if (create) mkdirSync(base, { recursive: true });
    process.chdir(base);
    for (const name of names) {
      if (create) mkdirSync(name, { recursive: true });
      process.chdir(name);
    }
    return work();
  } finally {
    process.chdir(cwd);
  }
}

/** Makes the chain `base/names…` and writes `file` with `bytes` at its bottom. */
export function writeDeep(base: string, names: readonly string[], file: string, bytes: Buffer): void {
  inside(base, names, true, () => writeFileSync(file, bytes));
}

export function readDeep(base: string, names: readonly string[], file: string): Buffer {
  return inside(base, names, false, () => readFileSync(file));
}

/**
 * Removes the chain `base/names…` with whatever is in it, from the bottom up (Node's recursive rm gives up on
 * paths this long), so that the temporary folder can go.
 */
export function removeDeep(base: string, names: readonly string[]): void {
  for (let depth = names.length; depth > 0; depth--) {
    inside(base, names.slice(0, depth - 1), false, () =>
      rmSync(names[depth - 1]!, { recursive: true, force: true }),
    );
  }
}

/** How many of `names` below `base` fit in a path the system accepts (PATH_MAX, 4096 bytes on Linux). */
export function readableDepth(base: string, names: readonly string[], limit = 4096): number {
  let depth = 0;
  while (depth < names.length && Buffer.byteLength(path.join(base, ...names.slice(0, depth + 1))) < limit) {
    depth++;
  }
  return depth;
}
