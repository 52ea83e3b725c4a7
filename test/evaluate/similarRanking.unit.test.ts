import { describe, expect, it } from 'vitest';
import type { Embeddings } from '../../electron/engine/analysis/embeddings.js';
import { queryScores } from '../../electron/engine/evaluate/queryScores.js';
import { rankScores, relevanceFloor } from '../../electron/engine/evaluate/textSearch.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { embeddingRow, photoLikeEmbeddings } from '../helpers/photoLikeEmbeddings.js';

const DIMS = 64;
const THEMES = 20;

/** Photo-like rows of `THEMES` subjects; with `copy`, one more row last, a near-copy of row 0. */
const photoLike = (rows: number, copy: boolean) =>
  photoLikeEmbeddings({ rows, dims: DIMS, subjects: THEMES, seed: 3, copyOfFirst: copy });
const row = embeddingRow;

describe('scoring a packed library against one query', () => {
  it.each([0, 1, 3, 4, 5, 7, 8, 101])('gives each of %i rows its dot product with the query', (rows) => {
    const library = photoLike(rows, false);
    const query = row(photoLike(THEMES + 1, false), THEMES);
    const scores = queryScores(library, query);
    expect(scores).toHaveLength(rows);
    for (let i = 0; i < rows; i++) expect(scores[i]).toBeCloseTo(dot(query, row(library, i)), 10);
  });

  it('refuses a query of another length', () => {
    expect(() => queryScores(photoLike(4, false), new Float32Array(DIMS - 1))).toThrow(/63 numbers/);
  });
});

describe('the relevance cut of an image search', () => {
  /** Of the images an image search by row 0 keeps, how many are of its subject, and how many it keeps. */
  function search(library: Embeddings, copies?: number) {
    const { hits, cut } = rankScores(queryScores(library, row(library, 0)), 400, { skip: 0, copies });
    const rows = library.data.length / DIMS;
    const subject = hits.filter((hit) => hit.index % THEMES === 0 || hit.index === rows - 1).length;
    return { kept: hits.length, subject, cut, files: hits.map((hit) => hit.index) };
  }

  it('keeps the photos of the same subject and no other, whether a near-copy is there or not', () => {
    // 99 other photos of row 0's subject.
    const plain = search(photoLike(2000, false), 0.95);
    expect(plain).toMatchObject({ kept: 99, subject: 99 });
    const withCopy = search(photoLike(2000, true), 0.95);
    expect(withCopy).toMatchObject({ kept: 100, subject: 100 });
    expect(withCopy.files[0]).toBe(2000);
  });

  it('would keep only part of the subject if the near-copy set the lead', () => {
    const library = photoLike(2000, true);
    const measuredFromCopy = search(library);
    expect(measuredFromCopy.kept).toBeLessThan(80);
    expect(measuredFromCopy.kept).toBe(measuredFromCopy.subject);
    // Without a copy, the copies bound changes nothing.
    const plain = photoLike(2000, false);
    expect(search(plain)).toEqual(search(plain, 0.95));
  });

  it('never lists the image searched by, nor counts it in the cut', () => {
    const scores = Float64Array.from([1, 0.9, 0.2, 0.1]);
    expect(rankScores(scores, 10, { skip: 0, all: true }).hits.map((h) => h.index)).toEqual([1, 2, 3]);
    // Without row 0 the best is 0.9 and the mean 0.4: the floor is 0.733.
    expect(relevanceFloor(scores, { skip: 0 })).toBeCloseTo(0.4 + (2 / 3) * 0.5, 9);
    expect(rankScores(scores, 10, { skip: 0 })).toEqual({ hits: [{ index: 1, score: 0.9 }], cut: 2 });
    expect(rankScores(Float64Array.from([0.5]), 10, { skip: 0 })).toEqual({ hits: [], cut: 0 });
  });

  it.each([
    // Near-copies left out of the lead: best other 0.8, mean of the others 0.5.
    [[0.99, 0.97, 0.8, 0.5, 0.4, 0.3], 0.5 + (2 / 3) * 0.3],
    // Nothing but near-copies: they all pass.
    [[0.99, 0.96], 0.95],
    // No near-copy: the text search's floor.
    [[0.8, 0, 0, 0], 0.6],
  ])('measures the floor of %j from the images that are not near-copies', (scores, floor) => {
    expect(relevanceFloor(scores, { copies: 0.95 })).toBeCloseTo(floor, 9);
  });
});
