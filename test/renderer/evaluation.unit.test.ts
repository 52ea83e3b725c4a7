import './runes.js';
import { describe, expect, it } from 'vitest';
import { CaptionsEvaluation, classesWithoutReferences } from '../../renderer/src/lib/evaluation.svelte.js';
import { fakeEngine } from './fakeEngine.js';

describe('classes without reference images', () => {
  it('are the classes whose confusion row is empty', () => {
    const confusion = [
      [2, 0, 0],
      [0, 0, 0],
      [1, 0, 1],
    ];
    expect(classesWithoutReferences(['red', 'purple', 'blue'], confusion)).toEqual(['purple']);
    expect(classesWithoutReferences(['red'], [[3]])).toEqual([]);
  });
});

describe('the captions evaluation', () => {
  const file = { name: 'c.csv', size: 10, text: () => Promise.resolve('filename,category,caption') };
  const failing = () => {
    throw Object.assign(new Error('Only 0 of 1'), { code: 'captions-no-images' });
  };

  it('keeps where it looked for the images, the default folder when none is named', async () => {
    const captions = new CaptionsEvaluation(fakeEngine({ 'eval.captions': failing }).client);
    captions.folder = ' ';
    await captions.evaluate(file);
    expect(captions.lookedIn).toBe('Dataset');
    captions.folder = 'Photos/2024/';
    await captions.evaluate(file);
    expect(captions.lookedIn).toBe('Photos/2024');
    expect(captions.error?.message).toBe('Only 0 of 1');
  });
});
