import { afterAll, describe, expect, it } from 'vitest';
import { packEmbeddings, type Embeddings } from '../../electron/engine/analysis/embeddings.js';
import { findDuplicates, ONNX_FROM_ROWS } from '../../electron/engine/evaluate/duplicates.js';
import { similarPairsOnnx } from '../../electron/engine/evaluate/onnxPairs.js';
import { similarPairs, TooManyPairsError, type Pairs } from '../../electron/engine/evaluate/similarPairs.js';
import { JobProcess } from '../../electron/engine/jobs/jobProcess.js';
import { v } from '../classify/clusters.js';
import { bruteForce, library } from './pairData.js';

const sorted = (pairs: Pairs): [number, number][] =>
  Array.from({ length: pairs.count }, (_, k): [number, number] => [pairs.first[k]!, pairs.second[k]!]).sort(
    (a, b) => a[0] - b[0] || a[1] - b[1],
  );

/** The float64 dot product the kernels must compare with the threshold (the same sums as `bruteForce`). */
function exact(vectors: Float32Array[], i: number, j: number): number {
  let sum = 0;
  for (let d = 0; d < vectors[i]!.length; d++) sum += vectors[i]![d]! * vectors[j]![d]!;
  return sum;
}

/** Connected components of at least two rows, as comma-joined members. */
function components(rows: number, pairs: [number, number][]): string[] {
  const parent = Array.from({ length: rows }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const [i, j] of pairs) parent[find(i)] = find(j);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.join(','))
    .sort();
}

describe('similar pairs through onnxruntime', () => {
  it.each([
    // One block; rows past the first row block and past the first column block, neither a multiple of them.
    [300, 64, 0.9],
    [1500, 40, 0.95],
    [9253, 24, 0.97],
  ])(
    'finds exactly the pairs a full comparison finds (%i × %i, threshold %f)',
    async (rows, dims, threshold) => {
      const vectors = library(rows, dims, rows + dims);
      const pairs = await similarPairsOnnx(packEmbeddings(vectors), threshold, 10_000_000);
      const expected = bruteForce(vectors, threshold);
      expect(expected.length).toBeGreaterThan(rows / 10);
      expect(sorted(pairs)).toEqual(expected);
      for (let k = 0; k < pairs.count; k++) {
        expect(pairs.similarity[k]).toBe(exact(vectors, pairs.first[k]!, pairs.second[k]!));
      }
    },
  );

  it('answers what the JavaScript kernel answers on 512-dimensional vectors', async () => {
    const embeddings = packEmbeddings(library(2100, 512, 11));
    const native = await similarPairsOnnx(embeddings, 0.9, 1_000_000);
    const js = similarPairs(embeddings, 0.9, 1_000_000);
    expect(native.count).toBeGreaterThan(100);
    expect(sorted(native)).toEqual(sorted(js));
  });

  it('keeps a pair whose cosine is exactly the threshold, however float32 rounds it, and no pair below', async () => {
    const vectors = library(400, 512, 5);
    const embeddings = packEmbeddings(vectors);
    // Pairs of many cosines, each taken in turn as the threshold.
    const candidates = bruteForce(vectors, 0.6).filter((_, k) => k % 11 === 0);
    expect(candidates.length).toBeGreaterThan(20);
    for (const [i, j] of candidates) {
      const s = exact(vectors, i, j);
      const at = sorted(await similarPairsOnnx(embeddings, s, 10_000_000));
      expect(at).toContainEqual([i, j]);
      const above = sorted(await similarPairsOnnx(embeddings, s + Number.EPSILON, 10_000_000));
      expect(above).not.toContainEqual([i, j]);
      expect(above).toEqual(bruteForce(vectors, s + Number.EPSILON));
    }
  });

  it('stops when more pairs reach the threshold than may be kept', async () => {
    const same = packEmbeddings(Array.from({ length: 60 }, () => v(1, 2, 3)));
    await expect(similarPairsOnnx(same, 0.99, 1000)).rejects.toThrow(TooManyPairsError);
    expect((await similarPairsOnnx(same, 0.99, 1770)).count).toBe(1770);
  });

  it('handles no vectors and one vector', async () => {
    expect((await similarPairsOnnx(packEmbeddings([]), 0.9, 10)).count).toBe(0);
    expect((await similarPairsOnnx(packEmbeddings([v(1, 0)]), 0.9, 10)).count).toBe(0);
  });
});

describe('near-duplicates of a large library', () => {
  const jobs = new JobProcess();
  afterAll(() => jobs.close());
  const vectors = library(ONNX_FROM_ROWS + 77, 48, 8);
  const embeddings: Embeddings = packEmbeddings(vectors);

  it('groups as a full comparison does, in the analysis process as in this one', async () => {
    const expected = components(vectors.length, bruteForce(vectors, 0.97));
    expect(expected.length).toBeGreaterThan(20);
    const local = await findDuplicates({ embeddings, threshold: 0.97 });
    expect(local.map((g) => g.members.join(',')).sort()).toEqual(expected);
    for (const g of local) expect(g.similarity).toBeGreaterThanOrEqual(0.97);
    expect(await jobs.run('duplicates', { embeddings, threshold: 0.97 })).toEqual(local);
  });

  it('refuses a threshold that links too many pairs', async () => {
    await expect(
      jobs.run('duplicates', { embeddings, threshold: 0.2, maxPairs: 1000 }),
    ).rejects.toMatchObject({
      code: 'duplicates-too-many',
    });
  });
});
