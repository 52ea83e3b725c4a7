import { describe, expect, it } from 'vitest';
import { highlightPoints, indexByFile } from '../../renderer/src/lib/map/highlights.js';

describe('map highlights', () => {
  const points = ['a', 'b', 'c', 'd'].map((file) => ({ file }));
  const byFile = indexByFile(points);

  it('marks the search results that are on the map', () => {
    const search = [
      { file: 'c', score: 0.3 },
      { file: 'gone', score: 0.2 },
      { file: 'a', score: 0.1 },
    ];
    expect(highlightPoints(byFile, 4, { search })).toEqual({
      flags: Uint8Array.from([1, 0, 1, 0]),
      count: 2,
      groups: [],
    });
  });

  it('marks near-duplicates and joins the groups with two or more on the map', () => {
    const duplicates = {
      threshold: 0.95,
      images: 4,
      errors: [],
      groups: [
        { files: ['a', 'd'], similarity: 0.99 },
        { files: ['b', 'gone'], similarity: 0.97 },
      ],
    };
    expect(highlightPoints(byFile, 4, { duplicates })).toEqual({
      flags: Uint8Array.from([1, 1, 0, 1]),
      count: 3,
      groups: [[0, 3]],
    });
  });
});
