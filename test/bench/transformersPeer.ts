import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { ensureInt8Model, int8Paths } from '../../electron/engine/inference/int8Model.js';

const VISION = 'onnx/vision_model.onnx';

/**
 * A folder transformers.js reads as `q8`: `dir`'s files, linked, with ClipSort's int8 vision encoder as
 * `onnx/vision_model_quantized.onnx`. It is made here without the pixel normalisation folded in, so that it takes
 * the normalised floats transformers.js gives it: the same int8 graph but for its first MatMul's input.
 */
export async function q8Folder(modelDir: string, dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const int8 = int8Paths(VISION);
  for (const entry of await readdir(modelDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(modelDir, path.join(entry.parentPath, entry.name));
    if (relative === int8.file || relative === int8.record) continue;
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await symlink(path.join(modelDir, relative), path.join(dir, relative));
  }
  await ensureInt8Model(dir, VISION);
  await symlink(path.join(dir, int8.file), path.join(dir, 'onnx/vision_model_quantized.onnx'));
  return dir;
}

/**
 * The JavaScript peer a person might pick instead: @huggingface/transformers (CLIPVisionModelWithProjection +
 * AutoProcessor) on the same model folder and the same files, batch by batch. Returns images per second.
 */
export async function transformersImagesPerSecond(
  modelDir: string,
  files: readonly string[],
  batchSize: number,
  threads: number,
  dtype: 'fp32' | 'q8',
): Promise<number> {
  const { AutoProcessor, CLIPVisionModelWithProjection, RawImage, env } =
    await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir);
  const id = path.basename(modelDir);
  const processor = await AutoProcessor.from_pretrained(id);
  const model = await CLIPVisionModelWithProjection.from_pretrained(id, {
    dtype,
    device: 'cpu',
    session_options: { intraOpNumThreads: threads },
  });
  const started = performance.now();
  for (let i = 0; i < files.length; i += batchSize) {
    const images = await Promise.all(files.slice(i, i + batchSize).map((file) => RawImage.read(file)));
    await model(await processor(images));
  }
  const seconds = (performance.now() - started) / 1000;
  await model.dispose();
  return files.length / seconds;
}
