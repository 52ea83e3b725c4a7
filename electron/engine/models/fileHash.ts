import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * How a file's content is named: `sha256` of the bytes, or `git-blob-sha1`, the id git gives a file (the sha1 of
 * `"blob <size>\0"` followed by the bytes), which Hugging Face states for files kept in git rather than LFS.
 */
export type DigestAlgorithm = 'sha256' | 'git-blob-sha1';

/** An expected or measured hash of a file's content, as lowercase hex. */
export interface FileDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Feeds a file's bytes into `hash`; resolves to the number of bytes read. */
export async function hashFileInto(file: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return bytes;
}

/** sha256 of a file as lowercase hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(file, hash);
  return hash.digest('hex');
}

/** The git blob id of a file as lowercase hex. */
export async function gitBlobSha1File(file: string): Promise<string> {
  const hash = createHash('sha1').update(`blob ${(await stat(file)).size}\0`);
  await hashFileInto(file, hash);
  return hash.digest('hex');
}

/** A file's hash by the given algorithm. */
export async function digestFile(file: string, algorithm: DigestAlgorithm): Promise<string> {
  return algorithm === 'sha256' ? sha256File(file) : gitBlobSha1File(file);
}
