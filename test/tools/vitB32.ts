/**
 * CLIP ViT-B/32 with random weights, for benchmarks: the same shapes and the same kinds of operators as the
 * PyTorch → ONNX export of the real model, so it runs at the real model's speed. Parametric, so tests can build
 * a tiny one.
 */
import { buildClipTokenizer } from './onnx/clipTokenizer.js';
import type { ClipFolder } from './onnx/clipFolder.js';
import { GraphBuilder, type OnnxModel } from './onnx/graphBuilder.js';
import { RandomWeights } from './onnx/randomWeights.js';
import { layerNorm, linear, transformer, type TransformerShape } from './onnx/transformer.js';

export interface VisionTowerConfig extends TransformerShape {
  imageSize: number;
  patchSize: number;
}

export interface TextTowerConfig extends TransformerShape {
  contextLength: number;
  /** Vocabulary size; the start and end tokens are the last two ids, so the end token has the highest id. */
  vocabSize: number;
}

export interface VitClipConfig {
  vision: VisionTowerConfig;
  text: TextTowerConfig;
  projectionDim: number;
  seed: number;
}

/** The shapes of OpenAI's CLIP ViT-B/32. */
export const VIT_B32_CONFIG: VitClipConfig = {
  vision: { imageSize: 224, patchSize: 32, width: 768, layers: 12, heads: 12, mlpWidth: 3072 },
  text: { contextLength: 77, vocabSize: 49408, width: 512, layers: 12, heads: 8, mlpWidth: 2048 },
  projectionDim: 512,
  seed: 32,
};

/** The smallest float32, which Hugging Face's CLIP uses for masked-out attention scores. */
const MASKED = -3.4028234663852886e38;

const TENSOR_INT32 = 6;

/** Bump when the graph or the weights change, so folders written before are no longer taken as complete. */
const GENERATOR_VERSION = 2;

/** pixel_values → [batch, 1 + patches, width]: the class token, then one token per patch, plus positions. */
function visionEmbeddings(weights: RandomWeights, pixels: string, vision: VisionTowerConfig): string {
  const g = weights.graph;
  const { imageSize, patchSize, width } = vision;
  const patches = (imageSize / patchSize) ** 2;
  if (!Number.isInteger(patches)) throw new Error(`Patch size ${patchSize} does not divide ${imageSize}.`);
  const name = 'vision_model.embeddings';

  const kernelShape = [width, 3, patchSize, patchSize];
  const kernel = weights.random(`${name}.patch_embedding.weight`, kernelShape, (3 * patchSize ** 2) ** -0.5);
  const strides = [patchSize, patchSize];
  const grid = g.op('Conv', [pixels, kernel], { kernel_shape: strides, strides });
  const patchTokens = g.op('Transpose', [g.op('Reshape', [grid, g.int64s([0, width, -1])])], {
    perm: [0, 2, 1],
  });

  const classEmbedding = weights.random(`${name}.class_embedding`, [width], width ** -0.5);
  const batch = g.op('Shape', [pixels], { start: 0, end: 1 });
  const classShape = g.op('Concat', [batch, g.int64s([1, width])], { axis: 0 });
  const tokens = g.op('Concat', [g.op('Expand', [classEmbedding, classShape]), patchTokens], { axis: 1 });
  const positions = weights.random(`${name}.position_embedding.weight`, [patches + 1, width], width ** -0.5);
  return g.op('Add', [tokens, positions]);
}

/** pixel_values → embeddings → LayerNorm → transformer → LayerNorm(class token) → projection → image_embeds. */
export function buildVitVisionModel(config: VitClipConfig): OnnxModel {
  const { imageSize, width } = config.vision;
  const g = new GraphBuilder('clip_vision_model');
  const weights = new RandomWeights(g, config.seed);
  const pixels = g.input('pixel_values', 'float32', ['batch', 3, imageSize, imageSize]);
  const embedded = visionEmbeddings(weights, pixels, config.vision);
  const normed = layerNorm(weights, embedded, width, 'vision_model.pre_layrnorm');
  const encoded = transformer(weights, normed, config.vision, 'vision_model.encoder');
  const classToken = g.op('Gather', [encoded, g.int64s([0], [])], { axis: 1 });
  const pooled = layerNorm(weights, classToken, width, 'vision_model.post_layernorm');
  const embeds = linear(weights, pooled, width, config.projectionDim, 'visual_projection', false);
  g.output(embeds, 'image_embeds', 'float32', ['batch', config.projectionDim]);
  return g.build({
    producerName: 'clipsort vit-b32-random',
    docString: 'CLIP vision tower, random weights.',
  });
}

/** 0 on and below the diagonal, the float32 minimum above it: each position sees only itself and earlier ones. */
function causalMask(length: number): Float32Array {
  const mask = new Float32Array(length * length);
  for (let row = 0; row < length; row++) mask.fill(MASKED, row * length + row + 1, (row + 1) * length);
  return mask;
}

/**
 * input_ids → token + position embeddings → causal transformer → LayerNorm → features at the end token (the
 * first position holding the highest id) → text_embeds.
 */
export function buildVitTextModel(config: VitClipConfig): OnnxModel {
  const { contextLength, vocabSize, width } = config.text;
  const g = new GraphBuilder('clip_text_model');
  const weights = new RandomWeights(g, config.seed);
  // Any length up to the context, as Hugging Face's exports take: positions and mask are cut to the ids'.
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const length = g.op('Shape', [ids], { start: 1, end: 2 });

  const table = weights.random('text_model.embeddings.token_embedding.weight', [vocabSize, width]);
  const positions = weights.random(
    'text_model.embeddings.position_embedding.weight',
    [contextLength, width],
    0.01,
  );
  const cut = (tensor: string, axes: number[]) =>
    g.op('Slice', [
      tensor,
      g.int64s(axes.map(() => 0)),
      g.op(
        'Concat',
        axes.map(() => length),
        { axis: 0 },
      ),
      g.int64s(axes),
    ]);
  const embedded = g.op('Add', [g.op('Gather', [table, ids]), cut(positions, [0])]);
  const fullMask = g.floats(
    [contextLength, contextLength],
    causalMask(contextLength),
    'causal_attention_mask',
  );
  const mask = cut(fullMask, [0, 1]);
  const encoded = transformer(weights, embedded, config.text, 'text_model.encoder', mask);
  const normed = layerNorm(weights, encoded, width, 'text_model.final_layer_norm');

  const endPositions = g.op('ArgMax', [g.op('Cast', [ids], { to: TENSOR_INT32 })], { axis: -1, keepdims: 1 });
  const pooled = g.op('GatherND', [normed, endPositions], { batch_dims: 1 });
  const embeds = linear(weights, pooled, width, config.projectionDim, 'text_projection', false);
  g.output(embeds, 'text_embeds', 'float32', ['batch', config.projectionDim]);
  return g.build({ producerName: 'clipsort vit-b32-random', docString: 'CLIP text tower, random weights.' });
}

/** config.json in the shape of Hugging Face's CLIPConfig (also tells whether an existing folder is current). */
export function vitClipConfigJson(config: VitClipConfig): Record<string, unknown> {
  const tower = ({ width, layers, heads, mlpWidth }: TransformerShape): Record<string, unknown> => ({
    hidden_size: width,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    intermediate_size: mlpWidth,
    hidden_act: 'quick_gelu',
    layer_norm_eps: 1e-5,
  });
  const { text, vision } = config;
  return {
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: config.projectionDim,
    random_weights: { seed: config.seed, generator_version: GENERATOR_VERSION },
    text_config: {
      model_type: 'clip_text_model',
      ...tower(text),
      max_position_embeddings: text.contextLength,
      vocab_size: text.vocabSize,
      bos_token_id: text.vocabSize - 2,
      eos_token_id: text.vocabSize - 1,
      pad_token_id: text.vocabSize - 1,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      ...tower(vision),
      image_size: vision.imageSize,
      patch_size: vision.patchSize,
      num_channels: 3,
    },
  };
}

/** Words the benchmark tokenizer keeps whole; the rest of its vocabulary is unused filler. */
const TOKENIZER_WORDS =
  'a an the of photo picture image something this is in on with and red green blue yellow';

/** The whole folder, ready for writeClipFolder; weights are made only while it is written. */
export function buildVitClip(config: VitClipConfig = VIT_B32_CONFIG): ClipFolder {
  return {
    vision: buildVitVisionModel(config),
    text: buildVitTextModel(config),
    tokenizer: buildClipTokenizer({
      words: TOKENIZER_WORDS.split(' '),
      vocabSize: config.text.vocabSize,
      contextLength: config.text.contextLength,
    }),
    config: vitClipConfigJson(config),
    imageSize: config.vision.imageSize,
  };
}
