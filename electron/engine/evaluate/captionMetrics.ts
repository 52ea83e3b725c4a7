/**
 * How well images and their captions find each other, from their embeddings: row i of a captions file pairs
 * image i with caption i. A match competes only with the rows that share neither its image file nor its caption
 * text: an image listed twice has two right captions, and a caption given to two images two right images, so
 * repeats in a file do not lower a score. Between rivals, a tie counts against the match.
 */
import { blockDots, packEmbeddings } from '../analysis/embeddings.js';

export interface CaptionScores {
  /** Cosine similarity, images × captions. */
  matrix: number[][];
  /** Shares (0–1) of images whose own caption ranks first / in the first five among the captions. */
  top1: number;
  top5: number;
  /** Shares of captions whose own image ranks first / in the first five among the images. */
  captionTop1: number;
  captionTop5: number;
  /** Mean similarity of matching pairs (the diagonal) and of all other pairs. */
  diagonal: number;
  offDiagonal: number;
  /** Per row: where image i's own caption ranks among the captions, and caption i's image among the images (1 = first). */
  imageRanks: number[];
  captionRanks: number[];
}

/** A square similarity matrix in an order that keeps each category's rows together. */
export interface GroupedMatrix {
  labels: string[];
  categories: string[];
  matrix: number[][];
}

/** Cosines come from float32 embeddings, which hold about seven significant digits: six decimals lose nothing. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The similarity of every vector of `a` with every vector of `b` (unit vectors: cosines). */
export function similarities(a: readonly Float32Array[], b: readonly Float32Array[]): number[][] {
  const out = new Float64Array(a.length * b.length);
  if (out.length > 0) blockDots(packEmbeddings(a), 0, a.length, packEmbeddings(b), 0, b.length, out);
  return a.map((_, i) => Array.from(out.subarray(i * b.length, (i + 1) * b.length)));
}

/** Same key, same item: keys as small integers for quick comparison. */
function identities(keys: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(keys, (key) => {
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key)!;
  });
}

/** Rows sharing an image or a caption: neither is the other's rival. */
interface Identities {
  images: Int32Array;
  captions: Int32Array;
}

/** 1 + the number of rival rows that score at least as high as row i's match; `score(j)` is row j's score. */
function matchRank(n: number, i: number, score: (j: number) => number, ids: Identities): number {
  const target = score(i);
  const { images, captions } = ids;
  let rank = 1;
  for (let j = 0; j < n; j++) {
    if (images[j] !== images[i] && captions[j] !== captions[i] && score(j) >= target) rank++;
  }
  return rank;
}

/**
 * Retrieval scores of `images[i]` paired with `captions[i]` (equal numbers of unit vectors, at least two).
 * `imageKeys` and `captionKeys` name the items (a file path, a caption's text), so that repeats are recognised.
 */
export function captionScores(
  images: readonly Float32Array[],
  captions: readonly Float32Array[],
  imageKeys: readonly string[],
  captionKeys: readonly string[],
): CaptionScores {
  const n = images.length;
  if (captions.length !== n || imageKeys.length !== n || captionKeys.length !== n) {
    throw new Error(`${n} images but ${captions.length} captions: each image needs its caption`);
  }
  if (n < 2) throw new Error('scoring captions needs at least two pairs');
  const matrix = similarities(images, captions);
  const ids = { images: identities(imageKeys), captions: identities(captionKeys) };
  const imageRanks = matrix.map((row, i) => matchRank(n, i, (j) => row[j]!, ids));
  const captionRanks = matrix.map((_, i) => matchRank(n, i, (j) => matrix[j]![i]!, ids));
  const share = (ranks: number[], k: number) => ranks.filter((rank) => rank <= k).length / n;
  let diagonal = 0;
  let total = 0;
  matrix.forEach((row, i) => {
    diagonal += row[i]!;
    for (const s of row) total += s;
  });
  return {
    matrix: matrix.map((row) => row.map(round)),
    top1: share(imageRanks, 1),
    top5: share(imageRanks, 5),
    captionTop1: share(captionRanks, 1),
    captionTop5: share(captionRanks, 5),
    diagonal: diagonal / n,
    offDiagonal: (total - diagonal) / (n * n - n),
    imageRanks,
    captionRanks,
  };
}

/** Row indices with each category's rows together: categories in order of first appearance, rows in file order. */
export function groupOrder(categories: readonly string[]): number[] {
  const first = new Map<string, number>();
  categories.forEach((c, i) => {
    if (!first.has(c)) first.set(c, i);
  });
  return categories
    .map((_, i) => i)
    .sort((a, b) => first.get(categories[a]!)! - first.get(categories[b]!)! || a - b);
}

/** The similarity of every vector with every other, rows and columns grouped by category (see `groupOrder`). */
export function groupedSimilarities(
  vectors: readonly Float32Array[],
  labels: readonly string[],
  categories: readonly string[],
): GroupedMatrix {
  const order = groupOrder(categories);
  const sorted = order.map((i) => vectors[i]!);
  return {
    labels: order.map((i) => labels[i]!),
    categories: order.map((i) => categories[i]!),
    matrix: similarities(sorted, sorted).map((row) => row.map(round)),
  };
}
