import { elementCount, type GraphBuilder } from './graphBuilder.js';
import { SeededRandom } from './seededRandom.js';

/** Adds weights to a graph: random ones seeded by (seed, name), or filled with one value (LayerNorm scales). */
export class RandomWeights {
  constructor(
    readonly graph: GraphBuilder,
    readonly seed: number,
  ) {}

  /** A weight uniform around zero with standard deviation `std`. */
  random(name: string, dims: readonly number[], std = 0.02): string {
    const seed = this.seed;
    return this.graph.weight(name, dims, () =>
      SeededRandom.forName(seed, name).fillUniform(new Float32Array(elementCount(dims)), std),
    );
  }

  /** A weight with every element equal to `value`. */
  filled(name: string, dims: readonly number[], value: number): string {
    return this.graph.weight(name, dims, () => new Float32Array(elementCount(dims)).fill(value));
  }
}
