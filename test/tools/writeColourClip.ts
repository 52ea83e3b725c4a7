/** Regenerates test/fixtures/models/colour-clip (`npm run fixtures:models`). */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildColourClip } from './colourClip.js';
import { writeClipFolder } from './onnx/clipFolder.js';

/** Where the committed colour-clip model lives. */
export const COLOUR_CLIP_FOLDER = fileURLToPath(new URL('../fixtures/models/colour-clip', import.meta.url));

/** Replaces `dir` with a freshly generated colour-clip folder; returns the file sizes. */
export function writeColourClip(dir: string = COLOUR_CLIP_FOLDER): Record<string, number> {
  rmSync(dir, { recursive: true, force: true });
  const sizes = writeClipFolder(dir, buildColourClip());
  // Line-ending conversion on checkout would break the byte-for-byte comparison with a fresh copy.
  const attributes = '* -text\n';
  writeFileSync(join(dir, '.gitattributes'), attributes);
  return { ...sizes, '.gitattributes': attributes.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = writeColourClip();
  for (const [file, bytes] of Object.entries(sizes)) console.log(`${file.padEnd(28)} ${bytes} bytes`);
  console.log(`wrote ${COLOUR_CLIP_FOLDER}`);
}
