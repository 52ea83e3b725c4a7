/**
 * Seeded CLIP-like embeddings for testing decisions: classes on the unit sphere, some of them close to another
 * (the hard ones), of unequal sizes; images near their class's direction with noise, and prompt embeddings near
 * the same directions, as a model whose text and image spaces roughly agree.
 */
import type { ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { SeededRandom } from '../tools/onnx/seededRandom.js';

export interface ClipLikeOptions {
  classes: number;
  dimension: number;
  /** How many classes lie close to another one. */
  hard: number;
  /** Spread of an image around its class direction, and of a prompt around it. */
  imageNoise: number;
  promptNoise: number;
  /** Reference images per class, drawn like its images (none unless set). */
  references?: number;
}

export interface ClipLikeWorld {
  classes: ClassEmbeddings[];
  /** Draws `count` images: each one's embedding and the index of its class, classes drawn by their weights. */
  draw(count: number): { vector: Float32Array; label: number }[];
}

const normalise = (values: number[]): Float32Array => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
};

/** A standard normal value (Box–Muller). */
function gaussian(random: SeededRandom): number {
  const u = (random.symmetric() + 1) / 2 || Number.MIN_VALUE;
  const v = (random.symmetric() + 1) / 2;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The world of one seed. */
export function clipLikeWorld(seed: number, options: ClipLikeOptions): ClipLikeWorld {
  const random = new SeededRandom(seed);
  const { dimension } = options;
  const around = (centre: ArrayLike<number>, spread: number) =>
    normalise(Array.from({ length: dimension }, (_, i) => centre[i]! + spread * gaussian(random)));
  const directions: Float32Array[] = [];
  for (let c = 0; c < options.classes; c++) {
    // A hard class starts from an earlier one's direction, so the two overlap.
    const near = c > 0 && c <= options.hard ? directions[c - 1]! : new Float32Array(dimension);
    directions.push(around(near, near === directions[c - 1] ? 0.06 : 1));
  }
  const weights = directions.map(() => 0.3 + (random.symmetric() + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const classes = directions.map((direction, c) => ({
    name: `class-${c}`,
    references: [] as Float32Array[],
    text: around(direction, options.promptNoise),
  }));
  for (const [c, each] of classes.entries()) {
    for (let r = 0; r < (options.references ?? 0); r++) {
      each.references.push(around(directions[c]!, options.imageNoise));
    }
  }
  const pick = () => {
    let at = ((random.symmetric() + 1) / 2) * total;
    for (const [c, weight] of weights.entries()) if ((at -= weight) <= 0) return c;
    return weights.length - 1;
  };
  return {
    classes,
    draw: (count) =>
      Array.from({ length: count }, () => {
        const label = pick();
        return { vector: around(directions[label]!, options.imageNoise), label };
      }),
  };
}
