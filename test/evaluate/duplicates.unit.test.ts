import { describe, expect, it } from 'vitest';
import { packEmbeddings } from '../../electron/engine/analysis/embeddings.js';
import { ClipSortError } from '../../electron/engine/errors.js';
import { findDuplicates } from '../../electron/engine/evaluate/duplicates.js';
import { similarPairs, TooManyPairsError } from '../../electron/engine/evaluate/similarPairs.js';
import { v } from '../classify/clusters.js';
import { bruteForce, library } from './pairData.js';

describe('similar pairs', () => {
  it.each([
    [101, 37, 0.95],
    [64, 512, 0.9],
    [33, 20, 0.6],
    [7, 3, 0.5],
  ])('finds exactly the pairs a full comparison finds (%i × %i, threshold %f)', (rows, dims, threshold) => {
    const vectors = library(rows, dims, rows * dims);
    const pairs = similarPairs(packEmbeddings(vectors), threshold, 1_000_000);
    const found = Array.from({ length: pairs.count }, (_, k): [number, number] => [
      pairs.first[k]!,
      pairs.second[k]!,
    ]);
    const expected = bruteForce(vectors, threshold);
    expect(expected.length).toBeGreaterThan(0);
    expect(found.sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual(expected);
    for (let k = 0; k < pairs.count; k++) {
      const [i, j] = [pairs.first[k]!, pairs.second[k]!];
      let sum = 0;
      for (let d = 0; d < dims; d++) sum += vectors[i]![d]! * vectors[j]![d]!;
      expect(pairs.similarity[k]).toBeCloseTo(sum, 5);
    }
  });

  it('stops when more pairs reach the threshold than may be kept', () => {
    const same = Array.from({ length: 60 }, () => v(1, 2, 3));
    expect(() => similarPairs(packEmbeddings(same), 0.99, 1000)).toThrow(TooManyPairsError);
    expect(similarPairs(packEmbeddings(same), 0.99, 1770).count).toBe(1770);
  });

  it('handles no vectors and one vector', () => {
    expect(similarPairs(packEmbeddings([]), 0.9, 10).count).toBe(0);
    expect(similarPairs(packEmbeddings([v(1, 0)]), 0.9, 10).count).toBe(0);
  });
});

describe('near-duplicate groups', () => {
  it('joins chains, reports the weakest necessary link, and orders groups most similar first', async () => {
    const angle = (degrees: number) =>
      v(Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180), 0);
    // 0–1 at 10°, 1–2 at 15° (0–2 at 25°), then a separate exact pair and a loner.
    const vectors = [angle(0), angle(10), angle(25), v(0, 0, 1), v(0, 0, 1), angle(-90)];
    const groups = await findDuplicates({
      embeddings: packEmbeddings(vectors),
      threshold: Math.cos((20 * Math.PI) / 180),
    });
    expect(groups.map((g) => g.members)).toEqual([
      [3, 4],
      [0, 1, 2],
    ]);
    expect(groups[0]!.similarity).toBeCloseTo(1, 6);
    expect(groups[1]!.similarity).toBeCloseTo(Math.cos((15 * Math.PI) / 180), 6);
  });

  it('reports the weakest link of the spanning tree, not of whichever pair came last', async () => {
    // Two tight pairs (0–1, 2–3 at 5°) bridged only by 1–2 at 12°: the group holds together down to cos 12°.
    const angle = (degrees: number) =>
      v(Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180));
    const vectors = [angle(0), angle(5), angle(17), angle(22)];
    const [group] = await findDuplicates({
      embeddings: packEmbeddings(vectors),
      threshold: Math.cos((13 * Math.PI) / 180),
    });
    expect(group!.members).toEqual([0, 1, 2, 3]);
    expect(group!.similarity).toBeCloseTo(Math.cos((12 * Math.PI) / 180), 6);
  });

  it('matches the groups of a full comparison on a larger set', async () => {
    const vectors = library(300, 48, 3);
    const groups = await findDuplicates({ embeddings: packEmbeddings(vectors), threshold: 0.97 });
    // Connected components of the brute-force pair graph.
    const parent = vectors.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (const [i, j] of bruteForce(vectors, 0.97)) parent[find(i)] = find(j);
    const components = new Map<number, number[]>();
    vectors.forEach((_, i) => components.set(find(i), [...(components.get(find(i)) ?? []), i]));
    const expected = [...components.values()].filter((c) => c.length > 1).map((c) => c.join(','));
    expect(groups.map((g) => g.members.join(',')).sort()).toEqual(expected.sort());
    expect(groups.length).toBeGreaterThan(5);
    for (const g of groups) expect(g.similarity).toBeGreaterThanOrEqual(0.97);
  });

  it('refuses a threshold that links too many pairs, with a clear error', async () => {
    const same = Array.from({ length: 30 }, () => v(1, 1));
    let error: unknown;
    try {
      await findDuplicates({ embeddings: packEmbeddings(same), threshold: 0.5, maxPairs: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClipSortError);
    expect((error as ClipSortError).code).toBe('duplicates-too-many');
    expect((error as ClipSortError).message).toMatch(/Raise the threshold/);
  });
});
