/**
 * The int8 vision encoder ClipSort makes from a model's full-precision one when the folder has no quantised file
 * of its own: written next to the source as `<name>.int8.onnx`, durably, with a record of its sha256 and the
 * source's. A file whose record does not match (another source or normalisation, a torn or edited file) is made
 * again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { writeFileDurably } from '../fs/durable.js';
import { modelFileSha256 } from './modelKey.js';
import { patchConvolutionsAsMatMuls, type PixelNormalisation } from './patchMatMul.js';
import { quantiseMatMuls, type QuantiseReport } from './quantiseMatMuls.js';
import { foldTransposesIntoMatMuls } from './transposedMatMul.js';

const { onnx } = onnxProto;
/** Bumped when the quantiser changes what it writes, so files made the old way are made again. */
export const QUANTISER_VERSION = 4;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

export interface Int8Record extends QuantiseReport {
  quantiser: number;
  /** Patch-embedding convolutions made MatMuls (and so quantised). */
  patchConvolutions: number;
  /** The pixel normalisation the file was made for (null: none given, so its input stays as it was). */
  normalisation: PixelNormalisation | null;
  /** Whether that normalisation is folded into the patch embedding, whose input is then 8-bit RGB [B, H, W, 3]. */
  eightBitInput: boolean;
  /** Transposes folded into the MatMuls that read them. */
  transposesFolded: number;
  /** The int8 file, relative to the model folder. */
  file: string;
  sha256: string;
  source: { file: string; sha256: string };
}

/** Where the int8 file of `visionFile` (relative to the model folder) goes, and its record. */
export function int8Paths(visionFile: string): { file: string; record: string } {
  const stem = visionFile.replace(/\.onnx$/i, '');
  return { file: `${stem}.int8.onnx`, record: `${stem}.int8.json` };
}

async function readRecord(modelDir: string, recordFile: string): Promise<Int8Record | undefined> {
  try {
    return JSON.parse(await readFile(path.join(modelDir, recordFile), 'utf8')) as Int8Record;
  } catch {
    return undefined;
  }
}

/** Reads weights kept beside the model file (`location`, `offset`, `length`) into the tensors themselves. */
async function inlineExternalData(modelDir: string, sourceFile: string, model: onnxProto.onnx.IModelProto) {
  const files = new Map<string, Buffer>();
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataLocation !== EXTERNAL) continue;
    const entry: Record<string, string> = Object.fromEntries(
      (tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']),
    );
    const location = path.join(modelDir, path.dirname(sourceFile), entry.location ?? '');
    let data = files.get(location);
    if (!data) files.set(location, (data = await readFile(location)));
    const offset = Number(entry.offset ?? 0);
    const length = entry.length === undefined ? data.length - offset : Number(entry.length);
    tensor.rawData = data.subarray(offset, offset + length);
    tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    tensor.externalData = [];
  }
}

/**
 * The int8 version of `visionFile` in `modelDir` (a path relative to it), made now unless a matching one is
 * there. Given how the model's pixels are normalised, its image input becomes 8-bit RGB where its patch embedding
 * allows (patchMatMul.ts). Resolves to its record.
 */
export async function ensureInt8Model(
  modelDir: string,
  visionFile: string,
  normalisation?: PixelNormalisation,
): Promise<Int8Record> {
  const paths = int8Paths(visionFile);
  // Only what the file depends on, in a fixed order, so that records compare as JSON.
  const pixels: PixelNormalisation | null = normalisation
    ? { rescale: normalisation.rescale, mean: normalisation.mean, std: normalisation.std }
    : null;
  const sourceSha256 = await modelFileSha256(modelDir, visionFile);
  const kept = await readRecord(modelDir, paths.record);
  if (
    kept?.quantiser === QUANTISER_VERSION &&
    JSON.stringify(kept.normalisation ?? null) === JSON.stringify(pixels) &&
    kept.source.sha256 === sourceSha256 &&
    kept.file === paths.file &&
    (await modelFileSha256(modelDir, paths.file).catch(() => undefined)) === kept.sha256
  ) {
    return kept;
  }
  const model = onnx.ModelProto.decode(await readFile(path.join(modelDir, visionFile)));
  await inlineExternalData(modelDir, visionFile, model);
  const patches = patchConvolutionsAsMatMuls(model, pixels ?? undefined);
  const report = quantiseMatMuls(model);
  const transposesFolded = foldTransposesIntoMatMuls(model);
  model.producerName = 'clipsort-int8';
  const bytes = onnx.ModelProto.encode(model).finish();
  await writeFileDurably(path.join(modelDir, paths.file), bytes);
  const record: Int8Record = {
    quantiser: QUANTISER_VERSION,
    file: paths.file,
    sha256: await modelFileSha256(modelDir, paths.file),
    source: { file: visionFile, sha256: sourceSha256 },
    ...report,
    patchConvolutions: patches.convolutions,
    normalisation: pixels,
    eightBitInput: patches.eightBitInput,
    transposesFolded,
  };
  await writeFileDurably(path.join(modelDir, paths.record), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
