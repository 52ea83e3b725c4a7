import path from 'node:path';

/**
 * The JavaScript peer a person might pick instead: @huggingface/transformers (CLIPVisionModelWithProjection +
 * AutoProcessor) on the same model folder and the same files, batch by batch. Returns images per second.
 */
export async function transformersImagesPerSecond(
  modelDir: string,
  files: readonly string[],
  batchSize: number,
  threads: number,
): Promise<number> {
  const { AutoProcessor, CLIPVisionModelWithProjection, RawImage, env } =
    await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir);
  const id = path.basename(modelDir);
  const processor = await AutoProcessor.from_pretrained(id);
  const model = await CLIPVisionModelWithProjection.from_pretrained(id, {
    dtype: 'fp32',
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
