import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Bumped when preprocessing changes in a way that changes embeddings, so cached embeddings made the old way are
 * not reused.
 */
export const PREPROCESS_VERSION = 1;

interface InstallRecord {
  files?: { path: string; size: number; sha256: string }[];
}

async function recordedSha256(modelDir: string, file: string, size: number): Promise<string | undefined> {
  try {
    const record = JSON.parse(
      await readFile(path.join(modelDir, 'clipsort-model.json'), 'utf8'),
    ) as InstallRecord;
    const entry = record.files?.find((f) => f.path === file && f.size === size);
    return entry?.sha256;
  } catch {
    return undefined;
  }
}

async function hashFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(filePath), hash);
  return hash.digest('hex');
}

/**
 * A key that names the embeddings a vision model produces: the weights' sha256 (from the install record when the
 * model was installed by ClipSort, else hashed now) and the preprocessing version. Same weights anywhere → same key.
 */
export async function modelKey(modelDir: string, visionFile: string): Promise<string> {
  return `${(await modelFileSha256(modelDir, visionFile)).slice(0, 16)}-p${PREPROCESS_VERSION}`;
}

/** The sha256 of a model file: from the install record when it matches the file's size, else hashed now. */
export async function modelFileSha256(modelDir: string, file: string): Promise<string> {
  const { size } = await stat(path.join(modelDir, file));
  return (await recordedSha256(modelDir, file, size)) ?? (await hashFile(path.join(modelDir, file)));
}
