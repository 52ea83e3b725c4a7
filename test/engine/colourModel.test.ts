import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyLibrary } from '../../electron/engine/classify/classifyLibrary.js';
import { DEFAULT_DECISION } from '../../electron/engine/classify/decision.js';
import { MODES } from '../../electron/engine/classify/scores.js';
import { dot } from '../../electron/engine/inference/vectors.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { makeColourLibrary, useColourModel, type Expected } from '../helpers/colourLibrary.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { CLIP_SCORING } from '../../electron/engine/classify/scores.js';

describe('end to end with the colour model (onnxruntime, sharp, tokenizer)', () => {
  const tempDir = useTempDirs();
  const colourModel = useColourModel();

  it('embeds texts to unit vectors that agree on colour words', async () => {
    const [red, alsoRed, blue] = await colourModel().embedTexts([
      'a photo of a red.',
      'something RED',
      'a blue thing',
    ]);
    for (const v of [red!, alsoRed!, blue!]) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(dot(red!, alsoRed!)).toBeGreaterThan(0.99);
    expect(dot(red!, blue!)).toBeLessThan(0.5);
  });

  it.each(MODES)('classifies every inbox image to its colour in %s mode', async (mode) => {
    const root = await tempDir();
    const expected: Expected[] = await makeColourLibrary(root);
    const index = LibraryIndex.open(root);
    try {
      const result = await classifyLibrary(root, colourModel(), index, { mode, batchSize: 4 });
      expect(result.errors).toEqual([]);
      expect(result.fellBack).toEqual([]);
      const got = Object.fromEntries(result.predictions.map((p) => [p.file, p.class]));
      expect(got).toEqual(Object.fromEntries(expected.map((e) => [e.file, e.colour])));
      expect(result.decision).toEqual(DEFAULT_DECISION[mode]);
      for (const p of result.predictions) {
        expect(p.margin).toBeGreaterThan(0);
        expect(Object.keys(p.scores).sort()).toEqual(['blue', 'green', 'red', 'yellow']);
        expect(p.review).toBe(p.score < result.decision.threshold || p.margin < result.decision.margin);
      }
    } finally {
      index.close();
    }
  });

  it.each(MODES)(
    'in %s mode, scores a class without reference images by its prompt, and says so',
    async (mode) => {
      const root = await tempDir();
      const expected = await makeColourLibrary(root);
      const blue = path.join(root, 'Classes', 'blue');
      for (const file of await readdir(blue)) await rm(path.join(blue, file));
      const index = LibraryIndex.open(root);
      try {
        const result = await classifyLibrary(root, colourModel(), index, { mode });
        expect(result.fellBack).toEqual(mode === 'text' ? [] : ['blue']);
        const got = Object.fromEntries(result.predictions.map((p) => [p.file, p.class]));
        expect(got).toEqual(Object.fromEntries(expected.map((e) => [e.file, e.colour])));
      } finally {
        index.close();
      }
    },
  );

  it('sends everything to review when the rule asks for more than any score can give', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const index = LibraryIndex.open(root);
    try {
      const strict = await classifyLibrary(root, colourModel(), index, {
        mode: 'text',
        decision: { margin: 1.5 },
      });
      expect(strict.decision).toEqual({ threshold: DEFAULT_DECISION.text.threshold, margin: 1.5 });
      expect(strict.predictions.every((p) => p.review)).toBe(true);
    } finally {
      index.close();
    }
  });

  it('reuses stored embeddings: a second run embeds nothing and gives the same scores', async () => {
    const root = await tempDir();
    await makeColourLibrary(root);
    const index = LibraryIndex.open(root);
    try {
      const first = await classifyLibrary(root, colourModel(), index, { mode: 'avg' });
      let calls = 0;
      const { key, preprocess } = colourModel();
      const counting = {
        key,
        preprocess,
        scoring: CLIP_SCORING,
        embedPromptSets: () => Promise.resolve([]),
        embedImages: () => {
          calls++;
          return Promise.resolve([]);
        },
      };
      const second = await classifyLibrary(root, counting, index, { mode: 'avg' });
      expect(calls).toBe(0);
      expect(second.predictions).toEqual(first.predictions);
    } finally {
      index.close();
    }
  });
});
