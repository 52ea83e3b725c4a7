import path from 'node:path';
import type { Precision } from '../choices.js';
import { inputSize } from '../imaging/preprocess.js';
import type { PreprocessSpec } from '../imaging/preprocessConfig.js';
import { ClipTokenizer } from '../text/tokenizer.js';
import { checkLayout, LAYOUTS } from '../models/modelLayout.js';
import { ensureInt8Model, QUANTISER_VERSION } from './int8Model.js';
import { readModelFiles, type ModelFiles } from './modelFiles.js';
import type { TextScoring } from './textScoring.js';
import { modelKey } from './modelKey.js';
import type { SessionOptions } from './onnxRuntime.js';
import type { RawImage } from '../imaging/resample.js';
import type { WirePixels } from './sessionProtocol.js';
import { SpareBuffers } from './spareBuffers.js';
import { TextTower } from './textTower.js';
import { embeddingRows, openTower, type Tower } from './tower.js';
import { centroid } from './vectors.js';

export interface ClipModelOptions extends SessionOptions {
  /**
   * `int8` runs the folder's own quantized vision encoder (`*_quantized.onnx`) where it has one, else the one
   * ClipSort makes from the full-precision weights (int8Model.ts). The text encoder stays full precision: texts
   * are few, and their embeddings are not stored.
   */
  precision?: Precision;
}

/**
 * CLIP's two towers over onnxruntime: images and texts in, L2-normalised embeddings out, in any layout
 * modelFiles.ts reads; input names and types come from the model. The text tower opens on first use, so sorting
 * by reference images alone never loads it.
 */
export class ClipModel {
  private textTower?: Promise<TextTower>;
  /** The 8-bit pixels of earlier batches, written over by the next ones (the send copies them). */
  private readonly pixelBuffers = new SpareBuffers<Uint8Array>(Uint8Array);

  private constructor(
    readonly modelDir: string,
    /** Names the embeddings this model makes; stored with each embedding. */
    readonly key: string,
    /** How the vision encoder computes; embeddings of each precision have keys of their own. */
    readonly precision: Precision,
    readonly preprocess: PreprocessSpec,
    private readonly vision: Tower,
    private readonly files: ModelFiles,
    private readonly options: ClipModelOptions,
  ) {}

  /** How this model scores texts against images. */
  get scoring(): TextScoring {
    return this.files.scoring;
  }

  static async load(modelDir: string, options: ClipModelOptions = {}): Promise<ClipModel> {
    const precision = options.precision ?? 'fp32';
    const { layout, variants } = await checkLayout(modelDir);
    // Full-precision files where the folder has them (all of them in fp32); the vision encoder is then swapped.
    const files = await readModelFiles(modelDir, {
      quantized: precision === 'int8' && !variants.includes('fp32'),
    });
    const own = precision === 'int8' && variants.includes('quantized');
    let visionFile = own ? LAYOUTS[layout].encoders.quantized![0] : files.vision;
    let suffix = own ? '_quantized' : '';
    if (precision === 'int8' && !own) {
      visionFile = (await ensureInt8Model(modelDir, files.vision, files.preprocess)).file;
      suffix = `-int8q${QUANTISER_VERSION}`;
    }
    const [key, vision] = await Promise.all([
      modelKey(modelDir, own ? visionFile : files.vision),
      openTower(path.join(modelDir, visionFile), ['pixel_values', 'image'], 'image_embeds', options),
    ]);
    return new ClipModel(modelDir, key + suffix, precision, files.preprocess, vision, files, options);
  }

  /** Embeds decoded images (8-bit RGB at the model's input size, from `decodeForModel`). */
  async embedImages(images: readonly RawImage[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    const { width, height } = inputSize(this.preprocess);
    const size = width * height * 3;
    for (const image of images) {
      if (image.width !== width || image.height !== height || image.channels !== 3) {
        throw new RangeError(
          `expected ${width}×${height} RGB pixels, got ${image.width}×${image.height}×${image.channels}`,
        );
      }
    }
    const data = this.pixelBuffers.take(images.length * size);
    images.forEach((image, i) => data.set(image.data, i * size));
    const { input, output, session } = this.vision;
    const pixels: WirePixels = {
      type: 'rgb8',
      data,
      dims: [images.length, height, width, 3],
      spec: this.preprocess,
      asUint8: session.inputType(input) === 'uint8',
    };
    let result;
    try {
      result = await session.run({ [input]: pixels }, [output]);
    } finally {
      this.pixelBuffers.give(data);
    }
    return embeddingRows(result[output]!.data as Float32Array, images.length);
  }

  /**
   * Embeds texts (each truncated to the model's context length) written in `language` (ISO 639-1), which text
   * towers such as NLLB-CLIP's are told before the text; other models do not need it.
   */
  async embedTexts(texts: readonly string[], language = 'en'): Promise<Float32Array[]> {
    return (await this.openText()).embed(texts, language);
  }

  /** One embedding per set of prompts: the normalised mean of the set's embeddings (a prompt ensemble). */
  async embedPromptSets(sets: readonly (readonly string[])[], language = 'en'): Promise<Float32Array[]> {
    const flat = await this.embedTexts(sets.flat(), language);
    let offset = 0;
    return sets.map(({ length }) => centroid(flat.slice((offset += length) - length, offset)));
  }

  /** The tokenizer, loading the text tower with it. */
  async tokenizer(): Promise<ClipTokenizer> {
    return (await this.openText()).tokenizer;
  }

  private openText() {
    this.textTower ??= Promise.all([
      openTower(
        path.join(this.modelDir, this.files.text),
        ['input_ids', 'text'],
        'text_embeds',
        this.options,
      ),
      ClipTokenizer.load(this.modelDir, this.files.tokenizer),
    ]).then(([tower, tokenizer]) => new TextTower(tower, tokenizer));
    return this.textTower;
  }

  async dispose(): Promise<void> {
    await this.vision.session.release();
    if (this.textTower) await (await this.textTower).tower.session.release();
  }
}
