/**
 * Colour CLIPs trained apart from the reference one (test/tools/colourClip.ts): each tower still tells colours
 * apart, but in a space of its own, so pairing one model's image tower with another's text tower compares
 * embeddings that were never made to agree, as two separately trained encoders do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { buildColourClip, type ColourSpaceChoice } from '../tools/colourClip.js';
import { writeClipFolder } from '../tools/onnx/clipFolder.js';

export const UNALIGNED_ENCODERS = {
  /** The same size as the reference model, another space. */
  'colour-elsewhere': { seed: 0x5eed01 },
  /** Embeddings of another size: nothing can compare them with the reference model's. */
  'colour-wide': { seed: 0x5eed02, dimension: 48 },
} as const satisfies Record<string, ColourSpaceChoice>;

export type UnalignedEncoder = keyof typeof UNALIGNED_ENCODERS;

const root = mkdtemp(path.join(tmpdir(), 'clipsort-unaligned-'));
// Each test file loads this module afresh: its folders go when the file's tests are done.
afterAll(async () => rm(await root, { recursive: true, force: true }));

/** Writes the encoder `name` as a model folder (the transformers.js layout) and returns the folder. */
export async function writeUnalignedEncoder(name: UnalignedEncoder): Promise<string> {
  const dir = path.join(await root, name);
  writeClipFolder(dir, buildColourClip({}, UNALIGNED_ENCODERS[name]));
  return dir;
}
