/**
 * Near-duplicates: images whose embeddings are at least `threshold` cosine-similar are linked, and linked images
 * form a group (union-find over the pairs, so a chain a–b–c is one group even when a and c are further apart).
 * A group's `similarity` is its weakest necessary link: the highest level at which all its members are still
 * connected (the smallest pair on its maximum spanning tree), so it is never below the threshold, and about 1
 * for exact copies. Large libraries are compared with onnxruntime's matrix multiply (onnxPairs.ts), small ones
 * in JavaScript (similarPairs.ts), where opening a session would cost more than the whole comparison; the
 * native runtime is only loaded when needed.
 */
import { DEFAULT_DUPLICATE_THRESHOLD } from '../choices.js';
import { ClipSortError } from '../errors.js';
import { rowCount, type Embeddings } from '../analysis/embeddings.js';
import { similarPairs, TooManyPairsError } from './similarPairs.js';

/** Most linked pairs kept (16 bytes each); a threshold that links more is too low to mean "duplicate". */
export const MAX_DUPLICATE_PAIRS = 2_000_000;

/**
 * From this many rows the comparison runs in onnxruntime: about where its matrix multiply, opening the session
 * (some 60 ms) included, overtakes the JavaScript kernel.
 */
export const ONNX_FROM_ROWS = 1000;

export interface DuplicateGroup {
  /** Row indices, ascending. */
  members: number[];
  similarity: number;
}

/** Disjoint sets over 0..n−1, with path halving and union by size. */
class DisjointSets {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }

  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  /** Joins the sets of a and b; returns the new root, or -1 when they were one set already. */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return -1;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return ra;
  }
}

export interface DuplicatesInput {
  /** Unit vectors, one row per image. */
  embeddings: Embeddings;
  threshold?: number;
  maxPairs?: number;
}

/**
 * Groups of near-duplicate rows (most similar first, then largest, then by first member). Throws
 * `duplicates-too-many` when the threshold links more than `maxPairs` pairs.
 */
export async function findDuplicates({
  embeddings,
  threshold = DEFAULT_DUPLICATE_THRESHOLD,
  maxPairs = MAX_DUPLICATE_PAIRS,
}: DuplicatesInput): Promise<DuplicateGroup[]> {
  const rows = rowCount(embeddings);
  let pairs;
  try {
    pairs =
      rows >= ONNX_FROM_ROWS
        ? await (await import('./onnxPairs.js')).similarPairsOnnx(embeddings, threshold, maxPairs)
        : similarPairs(embeddings, threshold, maxPairs);
  } catch (error) {
    if (!(error instanceof TooManyPairsError)) throw error;
    throw new ClipSortError(
      'duplicates-too-many',
      `More than ${maxPairs} pairs of images are at least ${threshold} similar: that is not near-duplicates ` +
        'any more. Raise the threshold.',
    );
  }
  // Kruskal: joining the most similar pairs first, the pair that last joins a group is its weakest link.
  const order = Array.from({ length: pairs.count }, (_, k) => k).sort(
    (a, b) => pairs.similarity[b]! - pairs.similarity[a]! || a - b,
  );
  const sets = new DisjointSets(rows);
  const weakest = new Map<number, number>();
  for (const k of order) {
    const a = pairs.first[k]!;
    const b = pairs.second[k]!;
    const ra = sets.find(a);
    const rb = sets.find(b);
    const root = sets.union(ra, rb);
    if (root < 0) continue;
    weakest.delete(ra === root ? rb : ra);
    weakest.set(root, pairs.similarity[k]!);
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < rows; i++) {
    const root = sets.find(i);
    if (!weakest.has(root)) continue;
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  return [...members]
    .map(([root, list]) => ({ members: list, similarity: weakest.get(root)! }))
    .sort(
      (a, b) =>
        b.similarity - a.similarity || b.members.length - a.members.length || a.members[0]! - b.members[0]!,
    );
}
