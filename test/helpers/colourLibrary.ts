import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { COLOURS, writeColourImage } from './images.js';
import { repoRoot } from './sharedFixtures.js';

/** The colour model committed with the tests. */
export const colourModelDir = path.join(repoRoot, 'test/fixtures/models/colour-clip');

/** Loads the colour model once for a test file (one inference thread) and frees it afterwards. */
export function useColourModel(): () => ClipModel {
  let model: ClipModel | undefined;
  beforeAll(async () => {
    model = await ClipModel.load(colourModelDir, { threads: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
  });
  return () => model!;
}

/** Inbox images of a colour library, with the class each must get. */
export interface Expected {
  file: string;
  colour: string;
}

/**
 * Builds a library with classes red, green, blue and yellow (two reference images each) and an inbox holding
 * every shade of every colour in several formats and sizes; `clutter` is the share of each picture that a patch
 * of another colour covers (see `colourPixels`). Returns what each inbox image must be classified as.
 */
export async function makeColourLibrary(root: string, clutter?: number): Promise<Expected[]> {
  await mkdir(path.join(root, 'Dataset'), { recursive: true });
  const expected: Expected[] = [];
  let seed = 1;
  for (const [colour, shades] of Object.entries(COLOURS)) {
    for (let i = 0; i < 2; i++) {
      await writeColourImage(path.join(root, 'Classes', colour, `ref-${i}.png`), shades[i]!, {
        seed: seed++,
        clutter,
      });
    }
    const formats = ['jpg', 'png', 'webp'];
    for (const [i, shade] of shades.entries()) {
      const file = `Images/${colour}-${i}.${formats[i % formats.length]}`;
      // Sizes on both sides of the model's 224 pixels: some images are shrunk, some enlarged.
      const [width, height] = i % 2 === 0 ? [320, 240] : [120, 180];
      await writeColourImage(path.join(root, file), shade, { seed: seed++, width, height, clutter });
      expected.push({ file, colour });
    }
  }
  return expected;
}

/** Adds `perColour` more inbox photos of each colour, its shades in turn at seeds of their own. */
export async function addColourPhotos(root: string, perColour: number): Promise<void> {
  let seed = 100;
  for (const [colour, shades] of Object.entries(COLOURS)) {
    for (let i = 0; i < perColour; i++) {
      await writeColourImage(path.join(root, `Images/more-${colour}-${i}.jpg`), shades[i % shades.length]!, {
        seed: seed++,
        width: 160,
        height: 120,
      });
    }
  }
}
