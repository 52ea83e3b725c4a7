/**
 * The layers of CLIP's transformers as a PyTorch → ONNX export writes them: LayerNormalization, MatMul + Add for
 * each linear layer, separate q/k/v projections, Softmax attention and QuickGELU. Weight names follow Hugging
 * Face's CLIPModel.
 */
import { float } from './graphBuilder.js';
import type { RandomWeights } from './randomWeights.js';

export interface TransformerShape {
  width: number;
  layers: number;
  heads: number;
  mlpWidth: number;
}

/** LayerNorm over the last axis with scale 1 and bias 0. */
export function layerNorm(weights: RandomWeights, x: string, width: number, name: string): string {
  const scale = weights.filled(`${name}.weight`, [width], 1);
  const bias = weights.filled(`${name}.bias`, [width], 0);
  return weights.graph.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: float(1e-5) });
}

/**
 * x · W (+ b), with W stored as [in, out] the way the exporter transposes nn.Linear. W has standard deviation
 * 1/√in, so each layer keeps its input's scale and the output depends on the input as much as a trained model's.
 */
export function linear(
  weights: RandomWeights,
  x: string,
  inputs: number,
  outputs: number,
  name: string,
  bias = true,
): string {
  const matrix = weights.random(`${name}.weight`, [inputs, outputs], inputs ** -0.5);
  const product = weights.graph.op('MatMul', [x, matrix]);
  if (!bias) return product;
  return weights.graph.op('Add', [product, weights.random(`${name}.bias`, [outputs])]);
}

/** Multi-head self-attention over [batch, sequence, width]; `mask` is added to the scores (causal text mask). */
function selfAttention(
  weights: RandomWeights,
  x: string,
  shape: TransformerShape,
  name: string,
  mask?: string,
): string {
  const g = weights.graph;
  const { width, heads } = shape;
  const headWidth = width / heads;
  if (!Number.isInteger(headWidth)) throw new Error(`Width ${width} does not split into ${heads} heads.`);
  const splitHeads = g.int64s([0, 0, heads, headWidth]);
  const project = (part: string): string => linear(weights, x, width, width, `${name}.${part}_proj`);
  const query = g.op('Mul', [project('q'), g.scalar(headWidth ** -0.5)]);
  const queries = g.op('Transpose', [g.op('Reshape', [query, splitHeads])], { perm: [0, 2, 1, 3] });
  const keys = g.op('Transpose', [g.op('Reshape', [project('k'), splitHeads])], { perm: [0, 2, 3, 1] });
  const values = g.op('Transpose', [g.op('Reshape', [project('v'), splitHeads])], { perm: [0, 2, 1, 3] });
  const scores = g.op('MatMul', [queries, keys]);
  const probabilities = g.op('Softmax', [mask === undefined ? scores : g.op('Add', [scores, mask])], {
    axis: -1,
  });
  const context = g.op('Transpose', [g.op('MatMul', [probabilities, values])], { perm: [0, 2, 1, 3] });
  const merged = g.op('Reshape', [context, g.int64s([0, 0, width])]);
  return linear(weights, merged, width, width, `${name}.out_proj`);
}

/** fc1 → QuickGELU (x · sigmoid(1.702 x)) → fc2. */
function mlp(weights: RandomWeights, x: string, shape: TransformerShape, name: string): string {
  const g = weights.graph;
  const hidden = linear(weights, x, shape.width, shape.mlpWidth, `${name}.fc1`);
  const gate = g.op('Sigmoid', [g.op('Mul', [hidden, g.scalar(1.702)])]);
  return linear(weights, g.op('Mul', [hidden, gate]), shape.mlpWidth, shape.width, `${name}.fc2`);
}

/** `layers` pre-LayerNorm residual blocks: x + attention(LN(x)), then x + MLP(LN(x)). */
export function transformer(
  weights: RandomWeights,
  x: string,
  shape: TransformerShape,
  name: string,
  mask?: string,
): string {
  const g = weights.graph;
  let hidden = x;
  for (let layer = 0; layer < shape.layers; layer++) {
    const prefix = `${name}.layers.${layer}`;
    const normed = layerNorm(weights, hidden, shape.width, `${prefix}.layer_norm1`);
    hidden = g.op('Add', [hidden, selfAttention(weights, normed, shape, `${prefix}.self_attn`, mask)]);
    const normedAgain = layerNorm(weights, hidden, shape.width, `${prefix}.layer_norm2`);
    hidden = g.op('Add', [hidden, mlp(weights, normedAgain, shape, `${prefix}.mlp`)]);
  }
  return hidden;
}
