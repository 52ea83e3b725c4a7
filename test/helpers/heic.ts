/**
 * HEIC files for tests, made with libheif's own encoder (`heif-enc`, Debian's libheif-examples) from images sharp
 * writes. Tests that need one skip, saying why, where the encoder is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export const HEIF_ENC = 'heif-enc';
export const hasHeifEnc = spawnSync(HEIF_ENC, ['--version'], { stdio: 'ignore' }).error === undefined;
export const heifEncNote = hasHeifEnc ? '' : ` (skipped: no ${HEIF_ENC}; install libheif-examples)`;

/** Encodes the image file `source` (JPEG or PNG; its EXIF orientation kept) as HEIC at `target`. */
export async function writeHeic(
  source: string,
  target: string,
  options: { bitDepth?: 8 | 10; quality?: number } = {},
): Promise<Buffer> {
  const args = ['-q', String(options.quality ?? 90), '-o', target];
  if (options.bitDepth) args.push('-b', String(options.bitDepth));
  execFileSync(HEIF_ENC, [...args, source], { stdio: 'pipe' });
  return readFile(target);
}
