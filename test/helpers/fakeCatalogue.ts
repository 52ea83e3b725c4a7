/** A fake model served the way the Hugging Face hub serves one, and a catalogue that points at it. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseManifest, type Manifest } from '../../electron/engine/models/manifest.js';
import { gitBlobSha1, sha256, startFileServer, type FileServer, type ServedFile } from './fileServer.js';

export const FAKE_MODEL_ID = 'fake-clip';

export interface FakeCatalogue {
  server: FileServer;
  manifest: Manifest;
  /** The catalogue as JSON, to write where CLIPSORT_MANIFEST points. */
  json: unknown;
  /** Writes the catalogue into `dir`; resolves to its path. */
  writeTo(dir: string): Promise<string>;
}

/**
 * Serves `files` under `/repo/resolve/main/`: `.onnx` files as LFS files (a redirect with `X-Linked-Etag`), the
 * others as git files (their git blob id as the ETag). `withSha256` puts the sha256s in the catalogue instead.
 */
export async function serveFakeCatalogue(
  files: Record<string, Buffer>,
  options: {
    withSha256?: boolean;
    tweak?: (path: string, served: ServedFile) => void;
    /** More catalogue entries served with the same files, each with what sets it apart (id, name, languages…). */
    more?: readonly ({ id: string; name: string } & Record<string, unknown>)[];
  } = {},
): Promise<FakeCatalogue> {
  const served: Record<string, ServedFile> = {};
  for (const [file, body] of Object.entries(files)) {
    const entry: ServedFile = file.endsWith('.onnx')
      ? {
          body,
          etag: '"cdn-object-1"',
          redirectHeaders: { 'x-linked-etag': `"${sha256(body)}"`, 'x-linked-size': String(body.length) },
        }
      : { body, etag: `"${gitBlobSha1(body)}"`, contentType: 'application/json' };
    options.tweak?.(file, entry);
    served[`/repo/resolve/main/${file}`] = entry;
  }
  const server = await startFileServer(served);
  const variant = (file: string) =>
    file.endsWith('_quantized.onnx') ? 'quantized' : file.endsWith('.onnx') ? 'fp32' : undefined;
  const model = {
    id: FAKE_MODEL_ID,
    name: 'Fake CLIP',
    licence: { name: 'MIT', holder: 'Nobody' },
    embeddingSize: 512,
    imageSize: 224,
    contextLength: 77,
    vision: {
      path: 'onnx/vision_model.onnx',
      quantizedPath: 'onnx/vision_model_quantized.onnx',
      input: 'pixel_values',
      output: 'image_embeds',
    },
    text: {
      path: 'onnx/text_model.onnx',
      quantizedPath: 'onnx/text_model_quantized.onnx',
      input: 'input_ids',
      output: 'text_embeds',
    },
    files: Object.entries(files).map(([file, body]) => ({
      path: file,
      url: `${server.url}/repo/resolve/main/${file}`,
      ...(options.withSha256 ? { size: body.length, sha256: sha256(body) } : {}),
      ...(variant(file) ? { variant: variant(file) } : {}),
    })),
  };
  const json = {
    version: 1,
    default: FAKE_MODEL_ID,
    models: [model, ...(options.more ?? []).map((more) => ({ ...model, ...more }))],
  };
  return {
    server,
    manifest: parseManifest(json),
    json,
    writeTo: async (dir) => {
      const file = path.join(dir, 'manifest.json');
      await writeFile(file, JSON.stringify(json));
      return file;
    },
  };
}
