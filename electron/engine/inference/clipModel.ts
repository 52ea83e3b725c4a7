import { access } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { inputSize } from '../imaging/preprocess.js';
import { readPreprocessSpec, type PreprocessSpec } from '../imaging/preprocessConfig.js';
import { ClipTokenizer } from '../text/tokenizer.js';
import { modelKey } from './modelKey.js';
import type { SessionOptions } from './onnxRuntime.js';
import type { RawImage } from '../imaging/resample.js';
import type { WirePixels, WireTensor } from './sessionProtocol.js';
import { SessionProcess } from './sessionProcess.js';
import { centroid, l2Normalise } from './vectors.js';

export interface ClipModelOptions extends SessionOptions {
  /** Use the 8-bit quantized weights (`*_quantized.onnx`): smaller and faster, slightly less accurate. */
  quantized?: boolean;
}

interface Tower {
  session: SessionProcess;
  input: string;
  output: string;
}

/** The output to read: the projected embedding when the export names it, else the first output. */
function pickOutput(session: SessionProcess, preferred: string): string {
  return session.outputNames.includes(preferred) ? preferred : session.outputNames[0]!;
}

async function openTower(
  file: string,
  input: string,
  output: string,
  options: SessionOptions,
): Promise<Tower> {
  const session = await SessionProcess.open(file, options);
  if (!session.inputNames.includes(input)) {
    throw new ClipSortError(
      'model-unsupported',
      `The model ${file} has no input named ${input} (it has ${session.inputNames.join(', ')}).`,
    );
  }
  return { session, input, output: pickOutput(session, output) };
}

function rows(data: Float32Array, count: number): Float32Array[] {
  const size = data.length / count;
  return Array.from({ length: count }, (_, i) => l2Normalise(data.slice(i * size, (i + 1) * size)));
}

/**
 * CLIP's two towers over onnxruntime: images and texts in, L2-normalised embeddings out. The text tower opens on
 * first use, so sorting by reference images alone never loads it.
 */
export class ClipModel {
  private textTower?: Promise<{ tower: Tower; tokenizer: ClipTokenizer }>;

  private constructor(
    readonly modelDir: string,
    /** Names the embeddings this model makes; stored with each embedding. */
    readonly key: string,
    readonly preprocess: PreprocessSpec,
    private readonly vision: Tower,
    private readonly files: { text: string },
    private readonly options: ClipModelOptions,
  ) {}

  static async load(modelDir: string, options: ClipModelOptions = {}): Promise<ClipModel> {
    const suffix = options.quantized ? '_quantized' : '';
    const visionFile = `onnx/vision_model${suffix}.onnx`;
    const textFile = `onnx/text_model${suffix}.onnx`;
    try {
      await access(path.join(modelDir, visionFile));
    } catch {
      throw new ClipSortError(
        'model-missing',
        `The model folder ${modelDir} has no ${visionFile}. Download the model again with ` +
          '`clipsort models download clip-vit-base-patch32`' +
          (options.quantized ? ' --quantized' : '') +
          ' or choose another folder with --model-dir.',
      );
    }
    const [preprocess, key, vision] = await Promise.all([
      readPreprocessSpec(modelDir),
      modelKey(modelDir, visionFile),
      openTower(path.join(modelDir, visionFile), 'pixel_values', 'image_embeds', options),
    ]);
    return new ClipModel(modelDir, key + suffix, preprocess, vision, { text: textFile }, options);
  }

  /** Embeds decoded images (8-bit RGB at the model's input size, from `decodeForModel`). */
  async embedImages(images: readonly RawImage[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    const { width, height } = inputSize(this.preprocess);
    const size = width * height * 3;
    const data = new Uint8Array(images.length * size);
    images.forEach((image, i) => {
      if (image.width !== width || image.height !== height || image.channels !== 3) {
        throw new RangeError(
          `expected ${width}×${height} RGB pixels, got ${image.width}×${image.height}×${image.channels}`,
        );
      }
      data.set(image.data, i * size);
    });
    const { input, output, session } = this.vision;
    const pixels: WirePixels = {
      type: 'rgb8',
      data,
      dims: [images.length, height, width, 3],
      spec: this.preprocess,
    };
    const result = await session.run({ [input]: pixels }, [output]);
    return rows(result[output]!.data as Float32Array, images.length);
  }

  /** Embeds texts (each truncated to the model's context length). */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const { tower, tokenizer } = await this.openText();
    const tokens = tokenizer.encodeBatch(texts);
    const dims = [tokens.count, tokens.length];
    const feeds: Record<string, WireTensor> = { [tower.input]: { type: 'int64', data: tokens.ids, dims } };
    if (tower.session.inputNames.includes('attention_mask')) {
      feeds.attention_mask = { type: 'int64', data: tokens.attentionMask, dims };
    }
    const result = await tower.session.run(feeds, [tower.output]);
    return rows(result[tower.output]!.data as Float32Array, tokens.count);
  }

  /** One embedding per set of prompts: the normalised mean of the set's embeddings (a prompt ensemble). */
  async embedPromptSets(sets: readonly (readonly string[])[]): Promise<Float32Array[]> {
    const flat = await this.embedTexts(sets.flat());
    let offset = 0;
    return sets.map(({ length }) => centroid(flat.slice((offset += length) - length, offset)));
  }

  /** The tokenizer, loading the text tower with it. */
  async tokenizer(): Promise<ClipTokenizer> {
    return (await this.openText()).tokenizer;
  }

  private openText() {
    this.textTower ??= Promise.all([
      openTower(path.join(this.modelDir, this.files.text), 'input_ids', 'text_embeds', this.options),
      ClipTokenizer.load(this.modelDir),
    ]).then(([tower, tokenizer]) => ({ tower, tokenizer }));
    return this.textTower;
  }

  async dispose(): Promise<void> {
    await this.vision.session.release();
    if (this.textTower) await (await this.textTower).tower.session.release();
  }
}
