import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  filesForVariant,
  findModelEntry,
  loadManifest,
  parseManifest,
} from '../../electron/engine/models/manifest.js';
import { DEFAULT_MODEL_ID, encoderFiles, LAYOUTS } from '../../electron/engine/models/modelLayout.js';
import { makeScratchDir } from '../helpers/modelFolders.js';

describe('the built-in catalogue', () => {
  it('offers CLIP ViT-B/32 in the transformers.js layout as the default', async () => {
    const manifest = await loadManifest(undefined, {});
    expect(manifest.default).toBe(DEFAULT_MODEL_ID);
    const entry = findModelEntry(manifest, DEFAULT_MODEL_ID);
    expect(entry).toMatchObject({
      name: 'CLIP ViT-B/32',
      licence: { name: 'MIT', holder: 'OpenAI' },
      embeddingSize: 512,
      imageSize: 224,
      contextLength: 77,
      vision: { path: 'onnx/vision_model.onnx', input: 'pixel_values', output: 'image_embeds' },
      text: { path: 'onnx/text_model.onnx', input: 'input_ids', output: 'text_embeds' },
    });
    const paths = entry.files.map((file) => file.path);
    for (const file of [...encoderFiles('transformers.js'), ...LAYOUTS['transformers.js'].required]) {
      expect(paths).toContain(file);
    }
    for (const file of entry.files) {
      expect(file.url).toBe(`https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/${file.path}`);
    }
    expect(filesForVariant(entry, 'fp32').map((file) => file.path)).not.toContain(
      'onnx/vision_model_quantized.onnx',
    );
    expect(filesForVariant(entry, 'quantized').map((file) => file.path)).not.toContain(
      'onnx/vision_model.onnx',
    );
  });
});

const valid = () => ({
  version: 1,
  default: 'm',
  models: [
    {
      id: 'm',
      name: 'M',
      licence: { name: 'MIT', holder: 'Someone' },
      embeddingSize: 512,
      imageSize: 224,
      contextLength: 77,
      vision: { path: 'v.onnx', input: 'pixel_values', output: 'image_embeds' },
      text: { path: 't.onnx', input: 'input_ids', output: 'text_embeds' },
      files: [
        { path: 'v.onnx', url: 'https://example.org/v.onnx' },
        { path: 't.onnx', url: 'https://example.org/t.onnx' },
      ],
    },
  ],
});
type Draft = ReturnType<typeof valid>;
const firstFile = (m: Draft) => m.models[0]!.files[0]!;

describe('parseManifest', () => {
  it.each<[string, (m: Draft) => void, RegExp]>([
    ['a path that leaves the model folder', (m) => (firstFile(m).path = '../v.onnx'), /files\.0\.path/],
    ['an absolute path', (m) => (firstFile(m).path = '/etc/passwd'), /relative path/],
    ['a url that is not http', (m) => (firstFile(m).url = 'file:///etc/passwd'), /url/],
    ['a malformed sha256', (m) => Object.assign(firstFile(m), { sha256: 'abc' }), /64 lowercase hex/],
    ['an encoder that is not among the files', (m) => (m.models[0]!.vision.path = 'x.onnx'), /x\.onnx/],
    ['a default not in the catalogue', (m) => (m.default = 'other'), /default other/],
    ['an id with a separator', (m) => (m.models[0]!.id = 'a/b'), /models\.0\.id/],
  ])('rejects %s', (_name, spoil, message) => {
    const manifest = valid();
    spoil(manifest);
    expect(() => parseManifest(manifest)).toThrow(message);
  });

  it('accepts a valid one', () => {
    expect(parseManifest(valid()).models[0]?.id).toBe('m');
  });

  it('reads the file named by CLIPSORT_MANIFEST and names it in errors', async () => {
    const { dir, remove } = await makeScratchDir();
    try {
      const file = path.join(dir, 'mirror.json');
      await writeFile(file, JSON.stringify(valid()));
      expect((await loadManifest(undefined, { CLIPSORT_MANIFEST: file })).default).toBe('m');
      await writeFile(file, '{ not json');
      await expect(loadManifest(undefined, { CLIPSORT_MANIFEST: file })).rejects.toThrow(
        /mirror\.json is not JSON/,
      );
      expect(() => findModelEntry(parseManifest(valid()), 'nope')).toThrow(/no model nope.*has: m/);
    } finally {
      await remove();
    }
  });
});
