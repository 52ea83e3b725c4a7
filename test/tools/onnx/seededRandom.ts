/**
 * A seeded pseudo-random generator (sfc32) for model weights: fast, and the same numbers on every machine, because
 * it uses only 32-bit integer arithmetic.
 */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let round = 0; round < 12; round++) this.nextUint32();
  }

  /** A generator seeded by a seed and a name, so each weight's values do not depend on the order of creation. */
  static forName(seed: number, name: string): SeededRandom {
    let hash = 0x811c9dc5 ^ seed;
    for (let index = 0; index < name.length; index++) {
      hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
    }
    return new SeededRandom(hash);
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [-1, 1). */
  symmetric(): number {
    return this.nextUint32() / 2147483648 - 1;
  }

  /** Fills `array` with values uniform around zero with standard deviation `std`, and returns it. */
  fillUniform(array: Float32Array, std: number): Float32Array {
    const halfWidth = std * Math.sqrt(3);
    for (let index = 0; index < array.length; index++) array[index] = this.symmetric() * halfWidth;
    return array;
  }
}
