/**
 * "Colour CLIP": a tiny model in CLIP's folder layout whose right answers are known, for end-to-end tests through
 * onnxruntime, sharp and the tokenizer. An image's embedding is its mean colour with brightness taken out (its
 * chroma), a prompt's embedding is the sum of the chroma directions of the colour words in it. So a mostly red
 * image is nearest to "a photo of a red." and to other red images, and a grey image is equally near every colour.
 */
import {
  buildClipTokenizer,
  loadTokenizer,
  singleTokenId,
  type ClipTokenizerFiles,
} from './onnx/clipTokenizer.js';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, type ClipFolder } from './onnx/clipFolder.js';
import { GraphBuilder, type OnnxModel } from './onnx/graphBuilder.js';
import { onnx } from './onnx/proto.js';
import { SeededRandom } from './onnx/seededRandom.js';

/** Size of the embeddings. */
export const COLOUR_CLIP_DIMENSION = 32;
export const COLOUR_CLIP_IMAGE_SIZE = 224;
export const COLOUR_CLIP_CONTEXT = 77;

/** The colour words the model knows, with the RGB colour (on [0, 1]) each stands for. */
export const COLOUR_WORDS = {
  red: [1, 0, 0],
  orange: [1, 0.5, 0],
  yellow: [1, 1, 0],
  green: [0, 1, 0],
  cyan: [0, 1, 1],
  blue: [0, 0, 1],
  purple: [0.5, 0, 1],
  magenta: [1, 0, 1],
} as const satisfies Record<string, readonly [number, number, number]>;

export type ColourWord = keyof typeof COLOUR_WORDS;

/** Words that are single tokens but mean nothing to the model (their embedding rows are zero). */
export const PROMPT_WORDS: readonly string[] = (
  'a an the of photo picture image something wild this is in on with and close up bright dark colour color ' +
  'object thing'
).split(' ');

/** Length of the constant vector added to every embedding, orthogonal to all colours. */
export const COLOUR_CLIP_BIAS_NORM = 0.1;

const SEED = 0x0c0105;

type Vector = number[];

const dot = (a: Vector, b: Vector): number => a.reduce((sum, value, index) => sum + value * b[index]!, 0);
const scale = (a: Vector, factor: number): Vector => a.map((value) => value * factor);
const subtract = (a: Vector, b: Vector): Vector => a.map((value, index) => value - b[index]!);

/** Four orthonormal vectors of the embedding space: one per RGB channel, then the bias direction. */
function orthonormalRows(dimension: number, seed: number): Vector[] {
  const random = new SeededRandom(seed);
  const rows: Vector[] = [];
  for (let row = 0; row < 4; row++) {
    let vector = Array.from({ length: dimension }, () => random.symmetric());
    for (const previous of rows) vector = subtract(vector, scale(previous, dot(vector, previous)));
    rows.push(scale(vector, 1 / Math.sqrt(dot(vector, vector))));
  }
  return rows;
}

/** An RGB colour minus its grey level: what is left when brightness is taken out. */
function chroma(rgb: readonly number[]): Vector {
  const grey = (rgb[0]! + rgb[1]! + rgb[2]!) / 3;
  return rgb.map((value) => value - grey);
}

/** Σ coefficient[i] · row[i], as an embedding. */
function combine(rows: Vector[], coefficients: Vector): Vector {
  return coefficients.reduce<Vector>(
    (sum, coefficient, index) => sum.map((value, column) => value + coefficient * rows[index]![column]!),
    new Array<number>(rows[0]!.length).fill(0),
  );
}

interface ColourSpace {
  /** [3, D]: mean RGB → embedding; a fully saturated primary colour maps to length 1. */
  readonly projection: Float32Array;
  readonly bias: Float32Array;
  /** The embedding direction (length 1) of each colour word. */
  readonly directions: Record<ColourWord, Vector>;
}

function colourSpace(dimension: number, seed: number): ColourSpace {
  const rows = orthonormalRows(dimension, seed);
  const channels = rows.slice(0, 3);
  const saturation = Math.sqrt(3 / 2); // 1 / |chroma(1, 0, 0)|
  const projection = [0, 1, 2].flatMap((channel) =>
    scale(combine(channels, chroma([0, 1, 2].map((other) => (other === channel ? 1 : 0)))), saturation),
  );
  const directions = Object.fromEntries(
    Object.entries(COLOUR_WORDS).map(([word, rgb]) => {
      const colour = chroma(rgb);
      return [word, combine(channels, scale(colour, 1 / Math.sqrt(dot(colour, colour))))];
    }),
  ) as Record<ColourWord, Vector>;
  return {
    projection: Float32Array.from(projection),
    bias: Float32Array.from(scale(rows[3]!, COLOUR_CLIP_BIAS_NORM)),
    directions,
  };
}

/**
 * How a variant of the colour CLIP takes its inputs, to stand for the model layouts and exports there are. The
 * default is CLIP's transformers.js export.
 */
export interface ColourClipStyle {
  /** The vision input's name, and whether it takes normalised float CHW pixels or 8-bit HWC ones it normalises itself. */
  readonly vision?: { readonly input: string; readonly pixels: 'float-chw' | 'uint8-hwc' };
  /** The mean and standard deviation the pixels are normalised with (CLIP's unless set). */
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** The text input's name and integer type, and whether the tower also takes an attention mask (M-CLIP). */
  readonly text?: {
    readonly input: string;
    readonly type: 'int64' | 'int32';
    readonly attentionMask?: boolean;
  };
  /** More words for the colours (another language's), each a single token. */
  readonly synonyms?: Readonly<Record<string, ColourWord>>;
  /**
   * Language codes the text tower wants before the text (NLLB's): each is a token of its own, and a text without
   * one embeds to the bias alone, like a text with no colour word.
   */
  readonly languageTokens?: readonly string[];
  /** The one of `languageTokens` under which the synonyms are read (NLLB reads a text in the language it is told). */
  readonly synonymLanguage?: string;
  /** Names of the two outputs (`image_embeds`, `text_embeds` unless set). */
  readonly outputs?: readonly [string, string];
}

/** pixels → mean colour → chroma in the embedding space + bias → the image embedding. */
function visionModel(space: ColourSpace, dimension: number, style: ColourClipStyle): OnnxModel {
  const g = new GraphBuilder('colour_clip_vision');
  const size = COLOUR_CLIP_IMAGE_SIZE;
  const { input, pixels: layout } = style.vision ?? { input: 'pixel_values', pixels: 'float-chw' };
  let rgb: string;
  if (layout === 'uint8-hwc') {
    const pixels = g.input(input, 'uint8', ['batch', size, size, 3]);
    const mean = g.op('ReduceMean', [g.op('Cast', [pixels], { to: TENSOR_FLOAT })], {
      axes: [1, 2],
      keepdims: 0,
    });
    rgb = g.op('Mul', [mean, g.floats([1], Float32Array.of(1 / 255), 'rescale')]);
  } else {
    const pixels = g.input(input, 'float32', ['batch', 3, size, size]);
    const normalisedMean = g.op('ReduceMean', [pixels], { axes: [2, 3], keepdims: 0 });
    const std = g.floats([3], Float32Array.from(style.std ?? CLIP_IMAGE_STD), 'image_std');
    const mean = g.floats([3], Float32Array.from(style.mean ?? CLIP_IMAGE_MEAN), 'image_mean');
    rgb = g.op('Add', [g.op('Mul', [normalisedMean, std]), mean]);
  }
  const projection = g.floats([3, dimension], space.projection, 'colour_projection');
  const embeds = g.op('Add', [g.op('MatMul', [rgb, projection]), g.floats([dimension], space.bias, 'bias')]);
  g.output(embeds, style.outputs?.[0] ?? 'image_embeds', 'float32', ['batch', dimension]);
  return g.build({ producerName: 'clipsort colour-clip', docString: 'Mean chroma of the image.' });
}

/** token ids → sum of the token rows (colour words only are non-zero) + bias → the text embedding. */
function textModel(
  space: ColourSpace,
  dimension: number,
  tokenizer: ClipTokenizerFiles,
  style: ColourClipStyle,
): OnnxModel {
  const tokens = loadTokenizer(tokenizer);
  const vocabSize = tokens.get_vocab(true).size;
  const table = new Float32Array(vocabSize * dimension);
  for (const [word, direction] of Object.entries(space.directions)) {
    table.set(direction, singleTokenId(tokens, word) * dimension);
  }
  // Synonyms read under one language only have a table of their own.
  const synonyms = style.synonymLanguage ? new Float32Array(vocabSize * dimension) : table;
  for (const [word, colour] of Object.entries(style.synonyms ?? {})) {
    synonyms.set(space.directions[colour], singleTokenId(tokens, word) * dimension);
  }
  const g = new GraphBuilder('colour_clip_text');
  const { input, type, attentionMask } = style.text ?? { input: 'input_ids', type: 'int64' };
  const ids = g.input(input, type, ['batch', COLOUR_CLIP_CONTEXT]);
  let rows = g.op('Gather', [g.floats([vocabSize, dimension], table, 'token_embedding'), ids]);
  if (attentionMask) {
    // Padding counts for nothing only where the mask says so: a tower fed no mask would see none of the text.
    const mask = g.input('attention_mask', type, ['batch', COLOUR_CLIP_CONTEXT]);
    const weights = g.op('Unsqueeze', [g.op('Cast', [mask], { to: TENSOR_FLOAT }), g.int64s([2])]);
    rows = g.op('Mul', [rows, weights]);
  }
  let summed = g.op('ReduceSum', [rows, g.int64s([1])], { keepdims: 0 });
  /** How many of `codes` the text holds, per text. */
  const countOf = (codes: readonly string[], name: string) => {
    const marks = new Float32Array(vocabSize);
    for (const code of codes) marks[tokens.token_to_id(code)!] = 1;
    const found = g.op('Gather', [g.floats([vocabSize, 1], marks, name), ids]);
    return g.op('ReduceSum', [found, g.int64s([1])], { keepdims: 0 });
  };
  if (style.languageTokens) summed = g.op('Mul', [summed, countOf(style.languageTokens, 'language_tokens')]);
  if (style.synonymLanguage) {
    const read = g.op(
      'ReduceSum',
      [g.op('Gather', [g.floats([vocabSize, dimension], synonyms, 'synonym_embedding'), ids]), g.int64s([1])],
      { keepdims: 0 },
    );
    summed = g.op('Add', [summed, g.op('Mul', [read, countOf([style.synonymLanguage], 'synonym_language')])]);
  }
  const embeds = g.op('Add', [summed, g.floats([dimension], space.bias, 'bias')]);
  g.output(embeds, style.outputs?.[1] ?? 'text_embeds', 'float32', ['batch', dimension]);
  return g.build({ producerName: 'clipsort colour-clip', docString: 'Sum of the colour words of the text.' });
}

/** The type code `Cast` takes for float32. */
const TENSOR_FLOAT = onnx.TensorProto.DataType.FLOAT;

const readme = (dimension: number) => `# colour-clip

A tiny test model in the layout of CLIP's transformers.js export. Generated by \`npm run fixtures:models\`
(test/tools/writeColourClip.ts); do not edit by hand: a test regenerates it and compares the bytes.

- Vision: the mean colour of the image, minus its grey level (so only the hue and saturation count), mapped into
  ${dimension} dimensions, plus a constant bias of length ${COLOUR_CLIP_BIAS_NORM} orthogonal to every colour.
- Text: the sum of the directions of the colour words in the prompt (${Object.keys(COLOUR_WORDS).join(', ')}),
  plus the same bias. Every other token counts for nothing.
- A mostly red image is nearest to "a photo of a red." and to other red images; a grey image is equally near to
  every colour.
`;

/**
 * Where a variant's colours lie: another seed or size makes a space of its own, in which the colours still mean
 * what they mean but point elsewhere (an encoder trained apart from the others).
 */
export interface ColourSpaceChoice {
  readonly seed?: number;
  readonly dimension?: number;
}

/** The whole colour-clip folder, ready for writeClipFolder; another `style` or `space` makes a variant of it. */
export function buildColourClip(style: ColourClipStyle = {}, choice: ColourSpaceChoice = {}): ClipFolder {
  const dimension = choice.dimension ?? COLOUR_CLIP_DIMENSION;
  const tokenizer = withAddedTokens(
    buildClipTokenizer({
      words: [...Object.keys(COLOUR_WORDS), ...PROMPT_WORDS, ...Object.keys(style.synonyms ?? {})],
      contextLength: COLOUR_CLIP_CONTEXT,
    }),
    style.languageTokens ?? [],
  );
  const vocabSize = loadTokenizer(tokenizer).get_vocab(true).size;
  const space = colourSpace(dimension, choice.seed ?? SEED);
  return {
    vision: visionModel(space, dimension, style),
    text: textModel(space, dimension, tokenizer, style),
    tokenizer,
    imageSize: COLOUR_CLIP_IMAGE_SIZE,
    readme: readme(dimension),
    config: {
      architectures: ['CLIPModel'],
      model_type: 'clip',
      projection_dim: dimension,
      text_config: {
        model_type: 'clip_text_model',
        hidden_size: dimension,
        max_position_embeddings: COLOUR_CLIP_CONTEXT,
        vocab_size: vocabSize,
        bos_token_id: vocabSize - 2,
        eos_token_id: vocabSize - 1,
        pad_token_id: vocabSize - 1,
      },
      vision_config: {
        model_type: 'clip_vision_model',
        hidden_size: dimension,
        image_size: COLOUR_CLIP_IMAGE_SIZE,
        patch_size: 32,
        num_channels: 3,
      },
    },
  };
}

/** The tokenizer with `tokens` added as pieces of their own after its vocabulary (as NLLB's language codes are). */
function withAddedTokens(files: ClipTokenizerFiles, tokens: readonly string[]): ClipTokenizerFiles {
  if (tokens.length === 0) return files;
  const size = loadTokenizer(files).get_vocab(true).size;
  const added = tokens.map((content, index) => ({
    id: size + index,
    content,
    special: true,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
  }));
  const tokenizer = {
    ...files.tokenizer,
    added_tokens: [...(files.tokenizer.added_tokens as object[]), ...added],
  };
  return { ...files, tokenizer };
}
