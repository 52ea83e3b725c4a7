/** Scratch folders and small fake model folders (the transformers.js layout) for the model tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testBytes } from './fileServer.js';

/** A fresh folder under the system temp folder, and the function that removes it. */
export async function makeScratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clipsort-models-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The files of a small fake model: stand-in bytes for the encoders, real-looking JSON for the rest. */
export function fakeModelFiles(
  options: { quantized?: boolean; fp32?: boolean } = {},
): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'tokenizer.json': Buffer.from('{"version": "1.0", "model": {"type": "BPE"}}\n'),
    'tokenizer_config.json': Buffer.from('{"model_max_length": 77}\n'),
    'preprocessor_config.json': Buffer.from('{"crop_size": 224, "do_center_crop": true}\n'),
    'config.json': Buffer.from('{"model_type": "clip", "projection_dim": 512}\n'),
  };
  if (options.fp32 ?? true) {
    files['onnx/vision_model.onnx'] = testBytes(48 * 1024, 11);
    files['onnx/text_model.onnx'] = testBytes(40 * 1024, 12);
  }
  if (options.quantized) {
    files['onnx/vision_model_quantized.onnx'] = testBytes(12 * 1024, 13);
    files['onnx/text_model_quantized.onnx'] = testBytes(10 * 1024, 14);
  }
  return files;
}

/** Writes `files` (paths relative to `dir`) into `dir`. */
export async function writeModelFolder(dir: string, files: Record<string, Buffer>): Promise<string> {
  for (const [file, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), bytes);
  }
  return dir;
}
