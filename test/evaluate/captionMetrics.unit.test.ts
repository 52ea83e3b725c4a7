import { describe, expect, it } from 'vitest';
import {
  captionScores,
  groupedSimilarities,
  groupOrder,
} from '../../electron/engine/evaluate/captionMetrics.js';
import { v } from '../classify/clusters.js';

/**
 * Images and captions whose similarity matrix is exactly `matrix` (rows images, columns captions; each column's
 * length at most 1): image i is the i-th axis, caption j is column j plus whatever length is left on one more axis.
 */
function realise(matrix: number[][]) {
  const n = matrix.length;
  const images = matrix.map((_, i) => Float32Array.from({ length: n + 1 }, (_, d) => (d === i ? 1 : 0)));
  const captions = matrix.map((_, j) => {
    const column = matrix.map((row) => row[j]!);
    const rest = Math.sqrt(1 - column.reduce((sum, x) => sum + x * x, 0));
    return Float32Array.from([...column, rest]);
  });
  return { images, captions };
}

const keys = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('caption scores', () => {
  // Row 0's own caption ranks 7th (six captions above it), row 2's 2nd; column 6's image ranks 2nd.
  const matrix = [
    [0.15, 0.2, 0.2, 0.2, 0.2, 0.2, 0.6],
    [0.1, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1],
    [0.1, 0.1, 0.3, 0.4, 0.1, 0.1, 0.1],
    [0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1],
    [0.1, 0.1, 0.1, 0.1, 0.5, 0.1, 0.1],
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.5, 0.1],
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
  ];

  it('computes top-1 and top-5 both ways, the diagonal and the off-diagonal means', () => {
    const { images, captions } = realise(matrix);
    const scores = captionScores(images, captions, keys(7, 'image'), keys(7, 'caption'));
    scores.matrix.forEach((row, i) => row.forEach((s, j) => expect(s).toBeCloseTo(matrix[i]![j]!, 6)));
    expect(scores.imageRanks).toEqual([7, 1, 2, 1, 1, 1, 1]);
    expect(scores.captionRanks).toEqual([1, 1, 1, 1, 1, 1, 2]);
    expect(scores.top1).toBeCloseTo(5 / 7, 12);
    expect(scores.top5).toBeCloseTo(6 / 7, 12);
    expect(scores.captionTop1).toBeCloseTo(6 / 7, 12);
    expect(scores.captionTop5).toBe(1);
    expect(scores.diagonal).toBeCloseTo(2.95 / 7, 6);
    // Every entry sums to 8.45; the diagonal's 2.95 leaves 5.5 over the 42 other pairs.
    expect(scores.offDiagonal).toBeCloseTo(5.5 / 42, 6);
  });

  it('counts a tie between different items against the match', () => {
    const { images, captions } = realise([
      [0.8, 0.6, 0],
      [0.6, 0, 0.6],
      [0, 0.8, 0.8],
    ]);
    const scores = captionScores(images, captions, keys(3, 'i'), keys(3, 'c'));
    expect(scores.imageRanks).toEqual([1, 3, 2]);
    expect(scores.captionRanks).toEqual([1, 3, 1]);
    expect(scores.top1).toBeCloseTo(1 / 3, 12);
    expect(scores.captionTop1).toBeCloseTo(2 / 3, 12);
    expect(scores.diagonal).toBeCloseTo(1.6 / 3, 6);
    expect(scores.offDiagonal).toBeCloseTo(2.6 / 6, 6);
  });

  it('takes every caption of an image, and every image of a caption, as right', () => {
    // Rows 0 and 1 name the same image with two captions; rows 2 and 3 give two images the same caption.
    const red = v(1, 0, 0);
    const images = [red, red, v(0, 1, 0), v(0, 0, 1)];
    const captions = [v(1, 0.2, 0), v(1, 0, 0.2), v(0.2, 1, 1), v(0.2, 1, 1)];
    const repeated = captionScores(
      images,
      captions,
      ['r.jpg', 'r.jpg', 'g.jpg', 'b.jpg'],
      ['r1', 'r2', 'gb', 'gb'],
    );
    expect(repeated.imageRanks).toEqual([1, 1, 1, 1]);
    expect(repeated.captionRanks).toEqual([1, 1, 1, 1]);
    expect(repeated.top1).toBe(1);
    // Taken as four different images and captions, each exact tie counts against the match.
    const distinct = captionScores(images, captions, keys(4, 'i'), keys(4, 'c'));
    expect(distinct.imageRanks).toEqual([2, 2, 2, 2]);
    expect(distinct.captionRanks).toEqual([2, 2, 2, 2]);
    expect(distinct.top1).toBe(0);
  });

  it('needs as many captions as images, and at least two', () => {
    expect(() => captionScores([v(1, 0)], [v(1, 0)], ['a'], ['a'])).toThrow(/at least two/);
    expect(() => captionScores([v(1, 0), v(0, 1)], [v(1, 0)], ['a', 'b'], ['a'])).toThrow(/each image needs/);
  });
});

describe('grouping by category', () => {
  it('keeps categories in order of first appearance and rows in file order within each', () => {
    expect(groupOrder(['b', 'a', 'b', 'c', 'a'])).toEqual([0, 2, 1, 4, 3]);
    expect(groupOrder([])).toEqual([]);
  });

  it('orders labels, categories, rows and columns alike', () => {
    const vectors = [v(1, 0), v(0, 1), v(1, 1)];
    const grouped = groupedSimilarities(vectors, ['x', 'y', 'z'], ['dogs', 'cats', 'dogs']);
    expect(grouped.labels).toEqual(['x', 'z', 'y']);
    expect(grouped.categories).toEqual(['dogs', 'dogs', 'cats']);
    const h = Math.SQRT1_2;
    const expected = [
      [1, h, 0],
      [h, 1, h],
      [0, h, 1],
    ];
    grouped.matrix.forEach((row, i) => row.forEach((s, j) => expect(s).toBeCloseTo(expected[i]![j]!, 6)));
  });
});
