/**
 * Writes CLIP ViT-B/32 with random weights to .cache/models/vit-b32-random for benchmarks (`npm run bench:model`).
 * Skips the work when a complete folder from the same config is there, unless `--force`; `--out DIR` writes
 * elsewhere.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isClipFolderComplete, writeClipFolder } from './onnx/clipFolder.js';
import { buildVitClip, VIT_B32_CONFIG, vitClipConfigJson, type VitClipConfig } from './vitB32.js';

/** Where benchmarks look for the model. */
export const VIT_B32_FOLDER = fileURLToPath(new URL('../../.cache/models/vit-b32-random', import.meta.url));

export interface WrittenModel {
  /** File sizes in bytes by path inside the folder; empty when the folder was already complete. */
  sizes: Record<string, number>;
  skipped: boolean;
  seconds: number;
}

/** Makes sure `dir` holds the random-weight model of `config`, writing it unless it is already complete. */
export function writeVitB32Model(
  dir: string = VIT_B32_FOLDER,
  { force = false, config = VIT_B32_CONFIG }: { force?: boolean; config?: VitClipConfig } = {},
): WrittenModel {
  const started = performance.now();
  if (!force && isClipFolderComplete(dir, vitClipConfigJson(config))) {
    return { sizes: {}, skipped: true, seconds: 0 };
  }
  const sizes = writeClipFolder(dir, buildVitClip(config));
  return { sizes, skipped: false, seconds: (performance.now() - started) / 1000 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { force: { type: 'boolean' }, out: { type: 'string' } } });
  const dir = values.out ?? VIT_B32_FOLDER;
  const result = writeVitB32Model(dir, { force: values.force ?? false });
  if (result.skipped) {
    console.log(`${dir} is already complete (--force to write it again).`);
  } else {
    for (const [file, bytes] of Object.entries(result.sizes)) {
      console.log(`${file.padEnd(28)} ${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB`);
    }
    console.log(`wrote ${dir} in ${result.seconds.toFixed(1)} s`);
  }
}
