import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import { clipSortError } from '../helpers/errors.js';
import { writeColourImage } from '../helpers/images.js';
import { unscaledInput as spec } from '../helpers/pixels.js';
import { useTempDirs } from '../helpers/tempDir.js';

const crashing = new URL('../helpers/crashingDecodeWorker.ts', import.meta.url);

describe('ImageDecoder (a child process)', () => {
  const tempDir = useTempDirs();

  it('reads, hashes and decodes, and reports bad files without dying', async () => {
    const dir = await tempDir();
    const bytes = await writeColourImage(path.join(dir, 'a.png'), [10, 200, 30]);
    await writeFile(path.join(dir, 'b.jpg'), 'not an image');
    const decoder = new ImageDecoder();
    try {
      const a = await decoder.decode(path.join(dir, 'a.png'), 'a.png', spec);
      expect([a.pixels.width, a.pixels.height, a.pixels.channels, a.size]).toEqual([
        224,
        224,
        3,
        bytes.length,
      ]);
      expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
      const error = await clipSortError(decoder.decode(path.join(dir, 'b.jpg'), 'b.jpg', spec));
      expect(error.code).toBe('image-unsupported');
    } finally {
      await decoder.close();
    }
  });

  it('survives a file that crashes it: the culprit is reported, the bystanders are decoded', async () => {
    const dir = await tempDir();
    const names = ['one.png', 'crash.png', 'two.png', 'three.png'];
    for (const [i, name] of names.entries())
      await writeColourImage(path.join(dir, name), [i * 60, 90, 90], { seed: i });
    const decoder = new ImageDecoder(crashing);
    try {
      const results = await Promise.allSettled(
        names.map((name) => decoder.decode(path.join(dir, name), name, spec)),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const error = await clipSortError(decoder.decode(path.join(dir, 'crash.png'), 'crash.png', spec));
      expect(error.code).toBe('image-crashed-decoder');
      expect(error.message).toMatch(/crash\.png: this file crashed the image decoder/);
      // And it goes on working afterwards.
      await expect(decoder.decode(path.join(dir, 'one.png'), 'one.png', spec)).resolves.toHaveProperty(
        'sha256',
      );
    } finally {
      await decoder.close();
    }
  });
});
