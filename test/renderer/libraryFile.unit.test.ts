import { describe, expect, it } from 'vitest';
import { fileFacts, pointOfFile } from '../../renderer/src/lib/libraryFile.js';

describe('library file facts', () => {
  it.each([
    ['Images/dog.jpg', { kind: 'inbox', class: null }],
    ['Images/trip/dog.jpg', { kind: 'inbox', class: null }],
    ['Classes/blue/ref.png', { kind: 'reference', class: 'blue' }],
    ['Dataset/blue/sky.png', { kind: 'sorted', class: 'blue' }],
    ['Dataset/sky.png', { kind: 'inbox', class: null }],
    ['photo.jpg', { kind: 'inbox', class: null }],
  ])('tells %s as %j', (file, facts) => {
    expect(fileFacts(file)).toEqual(facts);
  });

  it('makes a point with no prediction for the viewer', () => {
    expect(pointOfFile('Classes/red/a.png')).toEqual({
      file: 'Classes/red/a.png',
      kind: 'reference',
      class: 'red',
      predicted: null,
      score: null,
      margin: null,
      x: 0,
      y: 0,
    });
  });
});
