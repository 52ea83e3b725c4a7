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
      layout: 'transformers.js',
      languages: ['en'],
      scoring: 'softmax',
      logitScale: 100,
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

  it('offers at least five models, two of them multilingual with Spanish', async () => {
    const { models } = await loadManifest(undefined, {});
    expect(models.length).toBeGreaterThanOrEqual(5);
    const multilingual = models.filter(
      (entry) => entry.languages.length > 1 && entry.languages.includes('es'),
    );
    expect(multilingual.length).toBeGreaterThanOrEqual(2);
    for (const entry of multilingual) {
      expect(entry.languages).toEqual(
        expect.arrayContaining(['en', 'es', 'fr', 'de', 'it', 'pt', 'zh', 'ja', 'ar', 'ru']),
      );
    }
  });

  it("lists every file of Immich's layout for its exports, each at the repository and revision", async () => {
    const immich = (await loadManifest(undefined, {})).models.filter((entry) => entry.layout === 'immich');
    expect(immich.map((entry) => entry.homepage)).toEqual([
      'https://huggingface.co/immich-app/ViT-B-32__laion2b-s34b-b79k',
      'https://huggingface.co/immich-app/ViT-B-32-SigLIP2-256__webli',
      'https://huggingface.co/immich-app/XLM-Roberta-Base-ViT-B-32__laion5b_s13b_b90k',
      'https://huggingface.co/immich-app/nllb-clip-base-siglip__v1',
    ]);
    for (const entry of immich) {
      const paths = entry.files.map((file) => file.path);
      for (const file of [
        ...encoderFiles('immich'),
        ...LAYOUTS.immich.required,
        'textual/tokenizer_config.json',
      ]) {
        expect(paths, entry.id).toContain(file);
      }
      expect(entry.vision).toMatchObject({ path: 'visual/model.onnx', input: 'image' });
      expect(entry.text).toMatchObject({ path: 'textual/model.onnx', input: 'text' });
      expect(entry.revision).toBeDefined();
      for (const file of entry.files) {
        expect(file.url).toBe(`${entry.homepage}/resolve/${entry.revision}/${file.path}`);
      }
    }
  });

  it('states where every figure comes from, and tags strengths the figures bear out', async () => {
    const { models } = await loadManifest(undefined, {});
    for (const entry of models) {
      expect(entry.figures?.sources.length, entry.id).toBeGreaterThan(0);
      for (const source of entry.figures!.sources) expect(source).toMatch(/^https:\/\//);
    }
    const best = (score: (entry: (typeof models)[number]) => number | undefined) =>
      models.reduce((a, b) => ((score(b) ?? -Infinity) > (score(a) ?? -Infinity) ? b : a)).id;
    const tagged = (strength: string) =>
      models.filter((entry) => entry.strengths.some((s) => s === strength));
    expect(tagged('fastest').map((entry) => entry.id)).toEqual([
      best((e) => -(e.figures?.msPerImage ?? Infinity)),
    ]);
    expect(tagged('best-english').map((entry) => entry.id)).toEqual([
      best((e) => e.figures?.crossmodal3600Recall?.en),
    ]);
    expect(tagged('best-spanish').map((entry) => entry.id)).toEqual([
      best((e) => e.figures?.crossmodal3600Recall?.es),
    ]);
    expect(tagged('most-languages').map((entry) => entry.id)).toEqual([best((e) => e.languages.length)]);
    for (const entry of tagged('multilingual')) expect(entry.languages.length).toBeGreaterThan(1);
    expect(models.find((entry) => entry.id === 'nllb-clip-base-siglip')?.licence.name).toBe('CC-BY-NC-4.0');
  });
});

/** A catalogue with one transformers.js model, the smallest the schema accepts. */
const valid = () => ({
  version: 1,
  default: 'm',
  models: [
    {
      id: 'm',
      name: 'M',
      licence: { name: 'MIT', holder: 'Someone' },
      embeddingSize: 512,
      vision: { path: 'onnx/vision_model.onnx', input: 'pixel_values', output: 'image_embeds' },
      text: { path: 'onnx/text_model.onnx', input: 'input_ids', output: 'text_embeds' },
      files: [
        'onnx/vision_model.onnx',
        'onnx/text_model.onnx',
        'tokenizer.json',
        'preprocessor_config.json',
      ].map((path) => ({ path, url: `https://example.org/m/resolve/main/${path}` })),
    } as Record<string, unknown> & { files: { path: string; url: string }[]; vision: { path: string } },
  ],
});
type Draft = ReturnType<typeof valid>;
const first = (m: Draft) => m.models[0]!;
const firstFile = (m: Draft) => first(m).files[0]!;

/** The draft's model as an Immich export. */
const asImmich = (m: Draft) =>
  Object.assign(first(m), {
    layout: 'immich',
    vision: { path: 'visual/model.onnx', input: 'image', output: 'embedding' },
    text: { path: 'textual/model.onnx', input: 'text', output: 'embedding' },
    files: [...encoderFiles('immich'), ...LAYOUTS.immich.required].map((path) => ({
      path,
      url: `https://example.org/m/resolve/main/${path}`,
    })),
  });

describe('parseManifest', () => {
  it.each<[string, (m: Draft) => void, RegExp]>([
    ['a path that leaves the model folder', (m) => (firstFile(m).path = '../v.onnx'), /files\.0\.path/],
    ['an absolute path', (m) => (firstFile(m).path = '/etc/passwd'), /relative path/],
    ['a url that is not http', (m) => (firstFile(m).url = 'file:///etc/passwd'), /url/],
    ['a malformed sha256', (m) => Object.assign(firstFile(m), { sha256: 'abc' }), /64 lowercase hex/],
    ['an encoder that is not among the files', (m) => (first(m).vision.path = 'x.onnx'), /x\.onnx/],
    ['a default not in the catalogue', (m) => (m.default = 'other'), /default other/],
    ['an id with a separator', (m) => (first(m).id = 'a/b'), /models\.0\.id/],
    [
      'an unknown layout',
      (m) => (first(m).layout = 'gguf'),
      /models\.0\.layout: .*"transformers\.js".*"immich"/,
    ],
    ['no language', (m) => (first(m).languages = []), /models\.0\.languages: name at least one language/],
    ['a language that is not ISO 639-1', (m) => (first(m).languages = ['eng']), /ISO 639-1/],
    ['a language listed twice', (m) => (first(m).languages = ['en', 'en']), /listed twice/],
    [
      'figures without a source',
      (m) => (first(m).figures = { msPerImage: 3, sources: [] }),
      /where the figures/,
    ],
    ['an unknown strength', (m) => (first(m).strengths = ['cheapest']), /models\.0\.strengths/],
    ['a bias without sigmoid scoring', (m) => (first(m).logitBias = -10), /logitBias is for sigmoid/],
    [
      'a file of another revision',
      (m) => (first(m).revision = 'abc123'),
      /resolves at main, not at the revision abc123/,
    ],
    [
      'encoders away from where the layout keeps them',
      (m) => {
        asImmich(m);
        first(m).vision.path = 'visual/other.onnx';
        first(m).files.push({ path: 'visual/other.onnx', url: 'https://example.org/visual/other.onnx' });
      },
      /vision\.path must be visual\/model\.onnx in the immich layout/,
    ],
    [
      'a file the layout needs left out',
      (m) => {
        asImmich(m);
        first(m).files = first(m).files.filter((file) => file.path !== 'visual/preprocess_cfg.json');
      },
      /the immich layout needs visual\/preprocess_cfg\.json/,
    ],
    [
      'quantized encoders in a layout without them',
      (m) => {
        asImmich(m);
        Object.assign(first(m).vision, { quantizedPath: 'config.json' });
      },
      /the immich layout has no vision\.quantizedPath/,
    ],
  ])('rejects %s', (_name, spoil, message) => {
    const manifest = valid();
    spoil(manifest);
    expect(() => parseManifest(manifest)).toThrow(message);
  });

  it('accepts a valid one, reading what it leaves out as a transformers.js English CLIP model', () => {
    expect(parseManifest(valid()).models[0]).toMatchObject({
      id: 'm',
      layout: 'transformers.js',
      languages: ['en'],
      scoring: 'softmax',
      strengths: [],
    });
    const immich = valid();
    asImmich(immich);
    Object.assign(first(immich), {
      languages: ['en', 'es'],
      scoring: 'sigmoid',
      logitBias: -10,
      revision: 'main',
    });
    expect(parseManifest(immich).models[0]).toMatchObject({ layout: 'immich', languages: ['en', 'es'] });
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
