/**
 * `npm run bench`: throughput of the embedding path on the random-weight ViT-B/32 (real shapes, so real speed)
 * over 12-megapixel JPEGs (and the same photos as HEIC and as DNG), how smoothly the map draws 100,000 points
 * (mapDraw.ts), what a safe move costs (moveSafety.ts), and the analysis, near-duplicates, rescan and search
 * of a 100,000-image library, printed as a table.
 * Figures, not pass/fail: targets are judged by people.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { embedFiles } from '../../electron/engine/embedding/embedFiles.js';
import { decodeForModel } from '../../electron/engine/imaging/imageCodec.js';
import { ImageDecoder, sharedImageDecoder } from '../../electron/engine/imaging/imageDecoder.js';
import { readImageFile } from '../../electron/engine/imaging/imageFile.js';
import { quietMsFromEnvironment } from '../../electron/engine/move/quietFile.js';
import { inputSize, writePixels } from '../../electron/engine/imaging/preprocess.js';
import { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { stateDir } from '../../electron/engine/library/libraryPaths.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { repoRoot } from '../helpers/sharedFixtures.js';
import { VIT_B32_FOLDER, writeVitB32Model } from '../tools/writeVitB32Model.js';
import { benchAnalysis } from './analysis.js';
import { benchDecodeVariants } from './decodeVariants.js';
import { benchDuplicates } from './evaluate.js';
import { benchFoldedTransposes } from './graphRewrites.js';
import { benchHeicDecode } from './heicDecode.js';
import { benchMapDraw } from './mapDraw.js';
import { benchMoveSafety } from './moveSafety.js';
import { matmulGflops } from './matmul.js';
import { benchPhotos } from './photos.js';
import { benchRawDecode } from './rawDecode.js';
import { benchRescan } from './rescan.js';
import { benchSearch, benchSearchText } from './search.js';
import { TEXT_MODEL_FILE, VISION_MODEL_FILE } from '../tools/onnx/clipFolder.js';
import { q8Folder, transformersImagesPerSecond } from './transformersPeer.js';
import { benchWatch } from './watchBench.js';

/** Forward-pass cost of ViT-B/32's image tower per image (the usual published figure). */
const VIT_B32_GFLOP_PER_IMAGE = 8.8;
/**
 * Photos for D and E: enough that E is the rate a burst is embedded at, not the time to fill the pipeline at
 * its start and drain it at its end (over 48 photos that cost a third of E). The decoder variants take the
 * first DECODE_PHOTOS.
 */
const PHOTOS = 192;
const DECODE_PHOTOS = 48;
const IN_FLIGHT = 4;
const E_BATCH = 16;
/** Images dropped at once for the sustained watch figure (`CLIPSORT_BENCH_WATCH` overrides). */
const WATCH_BURST = Number(process.env.CLIPSORT_BENCH_WATCH ?? 1000);

const cacheDir = path.join(repoRoot, '.cache/bench');
const threads = os.availableParallelism();
const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
  console.error(`  ${name}: ${value}`);
};
const fmt = (x: number, digits = 1) => x.toFixed(digits);

async function decodeRate(dir: string, files: readonly string[], model: ClipModel): Promise<number> {
  const { width, height } = inputSize(model.preprocess);
  const out = new Float32Array(3 * width * height);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < files.length) {
      const name = files[next++]!;
      const image = await readImageFile(path.join(dir, name), name);
      const pixels = await decodeForModel(image.bytes, model.preprocess, name);
      writePixels(pixels, model.preprocess, out, 0);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return files.length / ((performance.now() - started) / 1000);
}

async function inferenceRate(model: ClipModel, batch: number): Promise<number> {
  const { width, height } = inputSize(model.preprocess);
  const images = Array.from({ length: batch }, (_, n) => ({
    data: Uint8Array.from({ length: 3 * width * height }, (_, i) => (i * 31 + n * 7) % 256),
    width,
    height,
    channels: 3,
  }));
  await model.embedImages(images);
  const runs = Math.max(2, Math.ceil(48 / batch));
  const started = performance.now();
  for (let i = 0; i < runs; i++) await model.embedImages(images);
  return (runs * batch) / ((performance.now() - started) / 1000);
}

interface EmbedPathFigures {
  limit: number;
  e: number;
  vectors: Map<string, Float32Array>;
}

/** I at batches 1, 8 and 32, L from `d`, and E through `embedFiles`, for one precision of the model. */
/** One `embedFiles` run over the photos, on a fresh index, through `decoder` where given. */
async function embedRun(
  model: ClipModel,
  photoDir: string,
  photos: readonly string[],
  decoder?: ImageDecoder,
) {
  await rm(stateDir(photoDir), { recursive: true, force: true });
  const index = LibraryIndex.open(photoDir);
  const report = await embedFiles(photoDir, photos, model, index, {
    batchSize: E_BATCH,
    inFlight: IN_FLIGHT,
    ...(decoder ? { decoder } : {}),
  });
  index.close();
  await rm(stateDir(photoDir), { recursive: true, force: true });
  if (report.errors.length > 0) throw new Error(`embedding failed: ${report.errors[0]!.error}`);
  return report;
}

/** E when the run starts its own decoding process, as the first embedding of a new process does. */
async function coldEmbedRate(model: ClipModel, photoDir: string, photos: readonly string[]) {
  return (await embedRun(model, photoDir, photos, new ImageDecoder())).imagesPerSecond;
}

async function embedPath(
  model: ClipModel,
  photoDir: string,
  photos: readonly string[],
  d: number,
  gflops: number,
): Promise<EmbedPathFigures> {
  const inference: number[] = [];
  for (const batch of [1, 8, 32]) {
    const rate = await inferenceRate(model, batch);
    inference.push(rate);
    const share = (rate * VIT_B32_GFLOP_PER_IMAGE) / gflops;
    row(
      `I ${model.precision}: inference, batch ${batch}`,
      `${fmt(rate)} images/s (${fmt(100 * share, 0)} % of the float MatMul rate)`,
    );
  }
  const i = Math.max(...inference);
  const limit = 1 / (1 / d + 1 / i);
  row(`L ${model.precision}: overlap limit 1/(1/D + 1/I)`, `${fmt(limit)} images/s`);
  const report = await embedRun(model, photoDir, photos);
  row(
    `E ${model.precision}: whole embed path (batch ${E_BATCH}, decoding process running)`,
    `${fmt(report.imagesPerSecond)} images/s = ${fmt(report.imagesPerSecond / limit, 2)} × L`,
  );
  return { limit, e: report.imagesPerSecond, vectors: report.vectors };
}

async function main() {
  console.error(
    `ClipSort benchmark: ${os.cpus()[0]?.model ?? 'cpu'}, ${threads} threads, Node ${process.version}`,
  );
  const written = writeVitB32Model(VIT_B32_FOLDER);
  if (!written.skipped) console.error(`  wrote the random-weight ViT-B/32 in ${fmt(written.seconds)} s`);
  const photoDir = path.join(cacheDir, 'photos-12mp');
  const photos = await benchPhotos(photoDir, PHOTOS);

  const gflops = await matmulGflops(cacheDir, threads);
  row('MatMul rate (onnxruntime, float32)', `${fmt(gflops)} GFLOP/s`);

  const model = await ClipModel.load(VIT_B32_FOLDER, { threads });
  const d = await decodeRate(photoDir, photos, model);
  row(`D: read + decode + preprocess, 12 MP JPEG, ${IN_FLIGHT} in flight`, `${fmt(d)} images/s`);
  const decodePhotos = photos.slice(0, DECODE_PHOTOS);
  for (const [name, value] of await benchHeicDecode(photoDir, decodePhotos, cacheDir, model.preprocess))
    row(name, value);
  for (const [name, value] of await benchRawDecode(photoDir, decodePhotos, cacheDir, model.preprocess))
    row(name, value);
  for (const [name, value] of await benchDecodeVariants(photoDir, decodePhotos, model.preprocess))
    row(name, value);

  // The decoding process starts once per process (the first embedding waits for it): E is each run after that.
  await sharedImageDecoder().decode(path.join(photoDir, photos[0]!), photos[0]!, model.preprocess);
  const fp32 = await embedPath(model, photoDir, photos, d, gflops);
  const int8Model = await ClipModel.load(VIT_B32_FOLDER, { threads, precision: 'int8' });
  const int8 = await embedPath(int8Model, photoDir, photos, d, gflops);
  const cold = [
    await coldEmbedRate(model, photoDir, photos),
    await coldEmbedRate(int8Model, photoDir, photos),
  ];
  await int8Model.dispose();
  row(
    'E fp32 / E int8, the run starting its decoding process (a first embedding)',
    `${fmt(cold[0]!)} / ${fmt(cold[1]!)} images/s (${fmt(cold[1]! / cold[0]!, 2)} ×)`,
  );
  const cosines = photos.map((name) => dot(fp32.vectors.get(name)!, int8.vectors.get(name)!));
  row(
    `int8 against fp32, ${photos.length} photos`,
    `cosine mean ${fmt(cosines.reduce((a, b) => a + b, 0) / cosines.length, 5)}, min ${fmt(Math.min(...cosines), 5)}`,
  );
  row('E int8 / E fp32 (same run)', `${fmt(int8.e / fp32.e, 2)} ×`);
  const visionFile = path.join(VIT_B32_FOLDER, VISION_MODEL_FILE);
  const inputWidth = inputSize(model.preprocess).width;
  for (const [name, value] of await benchFoldedTransposes(visionFile, threads, inputWidth)) row(name, value);
  const watch = await benchWatch(model, photoDir, decodePhotos, path.join(cacheDir, 'watch'), WATCH_BURST);
  row(
    `watch: ${WATCH_BURST} images dropped at once, drop → moved`,
    `${fmt(watch.throughput)} images/s = ${fmt(watch.throughput / fp32.limit, 2)} × L fp32`,
  );
  const ms = ({ p50, p95 }: { p50: number; p95: number }) => `p50 ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms`;
  // Both include the quiet period a new file is left alone for before it is moved (move/quietFile.ts).
  const quiet = `${fmt(quietMsFromEnvironment() / 1000)} s quiet period included`;
  row(`watch: one image, complete → moved (model warm, ${quiet})`, ms(watch.completeToMoved));
  row(`watch: one image, drop → moved (stable-size wait and ${quiet})`, ms(watch.dropToMoved));

  const texts = Array.from({ length: 64 }, (_, n) => `a photo of a thing number ${n}.`);
  await model.embedTexts(texts.slice(0, 8));
  const textStarted = performance.now();
  await model.embedTexts(texts);
  row('texts (batch 64)', `${fmt(texts.length / ((performance.now() - textStarted) / 1000))} texts/s`);
  await benchSearchText(model, path.join(VIT_B32_FOLDER, TEXT_MODEL_FILE), threads, row);
  await model.dispose();

  const peerFiles = photos.slice(0, 24).map((name) => path.join(photoDir, name));
  const peer = await transformersImagesPerSecond(VIT_B32_FOLDER, peerFiles, 8, threads, 'fp32');
  row('@huggingface/transformers fp32, same model and files (batch 8)', `${fmt(peer)} images/s`);
  const peerQ8 = await transformersImagesPerSecond(
    await q8Folder(VIT_B32_FOLDER, path.join(cacheDir, 'vit-b32-q8')),
    peerFiles,
    8,
    threads,
    'q8',
  );
  row(
    "@huggingface/transformers q8, ClipSort's int8 graph on float input (batch 8)",
    `${fmt(peerQ8)} images/s`,
  );
  row('ClipSort E fp32 / transformers.js fp32', `${fmt(fp32.e / peer)} ×`);
  row('ClipSort E int8 / transformers.js fp32', `${fmt(int8.e / peer)} ×`);
  row('ClipSort E int8 / transformers.js q8', `${fmt(int8.e / peerQ8)} ×`);
  for (const [name, value] of await benchMapDraw()) row(name, value);
  await benchMoveSafety(row);
  row('peak RSS', `${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB`);

  // After the peak above, which is the embedding path's: the analysis holds 100,000 embeddings.
  await benchAnalysis(row);
  await benchDuplicates(row);
  await benchRescan(row);
  await benchSearch(row);

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${'measure'.padEnd(width)}  result`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
}

await main();
