import { hcl, schemeTableau10 } from 'd3';
import { classColours, preferredSlot } from '../../renderer/src/lib/map/classColour.js';
import { describe, expect, it } from 'vitest';
import {
  categoricalColour,
  colourPoints,
  MISSING_COLOUR,
  SCORE_STEPS,
  scoreDigits,
  sequentialColour,
  type MapPoint,
} from '../../renderer/src/lib/map/colours.js';

const point = (file: string, fields: Partial<MapPoint> = {}): MapPoint => ({
  file,
  kind: 'sorted',
  class: null,
  predicted: null,
  score: null,
  margin: null,
  x: 0,
  y: 0,
  ...fields,
});

const points: MapPoint[] = [
  point('Images/a.jpg', { kind: 'inbox', predicted: 'dogs', score: 0.9 }),
  point('Dataset/cats/b.jpg', { class: 'cats', predicted: 'cats', score: 0.5 }),
  point('Dataset/cats/c.jpg', { class: 'cats', predicted: 'dogs', score: 0.1 }),
  point('Classes/birds/d.jpg', { kind: 'reference', class: 'birds', predicted: 'birds', score: 0.37 }),
];

describe('map colours', () => {
  it('gives a class the colour its name says, in English or Spanish', () => {
    const colours = classColours(['red', 'Verde', 'blue sky', 'azul', 'amarillo', 'pink_flowers']);
    const hue = (name: string) => hcl(colours.get(name)!).h;
    // HCL hues: red about 40°, green 130°, blue 280°, yellow 100°, pink 10°.
    expect(hue('red')).toBeCloseTo(40, -1);
    expect(hue('Verde')).toBeCloseTo(130, -1);
    expect(hue('blue sky')).toBeCloseTo(280, -1);
    expect(hue('azul')).toBeCloseTo(280, -1);
    expect(hue('amarillo')).toBeCloseTo(100, -1);
    expect(Math.abs(((hue('pink_flowers') + 180) % 360) - 190)).toBeLessThan(15);
    // Two blues are both blue, told apart by lightness.
    expect(colours.get('azul')).not.toBe(colours.get('blue sky'));
  });

  it('keeps every colour when classes are added, listed in another order, or loaded again', () => {
    const names = ['dogs', 'cats', 'birds', 'cars', 'boats', 'trees'];
    const before = classColours(names);
    const after = classColours(['mountains', ...names.reverse(), 'beach', 'food']);
    for (const name of names) expect(after.get(name), name).toBe(before.get(name));
    expect(classColours(names)).toEqual(before);
  });

  it('gives every class of a library its own colour, past the 36 slots too', () => {
    const names = Array.from({ length: 50 }, (_, i) => `class ${i}`);
    const colours = classColours(names);
    expect(new Set(colours.values()).size).toBe(50);
    expect(colours.get('class 7')).toMatch(/^#[0-9a-f]{6}$|^rgb/);
  });

  it('settles two names that want one colour in name order: the first keeps it', () => {
    const [a, b] = ['red', 'red cars'];
    expect(preferredSlot(a)).toBe(preferredSlot(b));
    const alone = classColours([a]).get(a);
    const both = classColours([b, a]);
    expect(both.get(a)).toBe(alone);
    expect(both.get(b)).not.toBe(alone);
    expect(hcl(both.get(b)!).h).toBeCloseTo(hcl(alone!).h, -1);
  });

  it('goes past ten categories with colours distinct from the first ten', () => {
    const colours = Array.from({ length: 30 }, (_, i) => categoricalColour(i));
    expect(colours.slice(0, 10)).toEqual([...schemeTableau10]);
    expect(new Set(colours).size).toBe(30);
  });

  it('colours by folder class, the inbox as missing, with a legend of counts', () => {
    const { index, palette, items, ramp } = colourPoints(points, 'class');
    expect(palette[0]).toBe(MISSING_COLOUR);
    expect(index[0]).toBe(0);
    expect(palette[index[1]!]).toBe(palette[index[2]!]);
    expect(palette[index[3]!]).not.toBe(palette[index[1]!]);
    expect(items).toEqual([
      { kind: 'class', name: 'birds', colour: palette[index[3]!], count: 1 },
      { kind: 'class', name: 'cats', colour: palette[index[1]!], count: 2 },
      { kind: 'missing', colour: MISSING_COLOUR, count: 1 },
    ]);
    expect(ramp).toBeNull();
  });

  it('colours by predicted class with the same colour per class as by folder', () => {
    const byFolder = colourPoints(points, 'class');
    const byPrediction = colourPoints(points, 'predicted');
    const colourOf = (c: typeof byFolder, i: number) => c.palette[c.index[i]!];
    expect(colourOf(byPrediction, 1)).toBe(colourOf(byFolder, 1));
    expect(colourOf(byPrediction, 3)).toBe(colourOf(byFolder, 3));
    expect(colourOf(byPrediction, 0)).toBe(colourOf(byPrediction, 2));
    expect(
      byPrediction.items.map((item) => (item.kind === 'class' ? [item.name, item.count] : item.kind)),
    ).toEqual([
      ['birds', 1],
      ['cats', 1],
      ['dogs', 2],
    ]);
  });

  it('colours by score on a sequential scale from the lowest to the highest', () => {
    const withMissing = [...points, point('Images/e.jpg', { kind: 'inbox' })];
    const { index, palette, items, ramp } = colourPoints(withMissing, 'score');
    // 0.1 → the first step, 0.9 → the last, 0.5 → the middle one, 0.37 → 0.3375 of the way: step 10 of 0–31.
    expect([...index]).toEqual([SCORE_STEPS, 1 + SCORE_STEPS / 2, 1, 11, 0]);
    expect(palette).toHaveLength(SCORE_STEPS + 1);
    expect(palette[1]).toBe(sequentialColour(0.5 / SCORE_STEPS));
    expect(ramp).toEqual({ min: 0.1, max: 0.9, colours: [0, 0.25, 0.5, 0.75, 1].map(sequentialColour) });
    expect(items).toEqual([{ kind: 'missing', colour: MISSING_COLOUR, count: 1 }]);
  });

  it('puts equal scores in the middle of the scale, and has no scale without scores', () => {
    const same = [point('a', { score: 0.4 }), point('b', { score: 0.4 })];
    expect([...colourPoints(same, 'score').index]).toEqual([17, 17]);
    expect(colourPoints([point('a')], 'score').ramp).toBeNull();
  });

  it('clamps the sequential scale to its ends', () => {
    expect(sequentialColour(-1)).toBe(sequentialColour(0));
    expect(sequentialColour(2)).toBe(sequentialColour(1));
    expect(sequentialColour(0)).not.toBe(sequentialColour(1));
  });

  it('colours by cluster, with noise and unclustered images as missing', () => {
    const clusters = {
      method: 'dbscan' as const,
      clusters: [
        { id: 0, files: ['Dataset/cats/b.jpg', 'Dataset/cats/c.jpg', 'Dataset/gone.jpg'] },
        { id: 1, files: ['Images/a.jpg'] },
      ],
      noise: ['Classes/birds/d.jpg'],
      silhouette: 0.4,
    };
    const { index, palette, items } = colourPoints(points, 'cluster', clusters);
    expect([...index]).toEqual([2, 1, 1, 0]);
    expect(palette).toEqual([MISSING_COLOUR, categoricalColour(0), categoricalColour(1)]);
    expect(items).toEqual([
      { kind: 'cluster', id: 0, colour: categoricalColour(0), count: 2 },
      { kind: 'cluster', id: 1, colour: categoricalColour(1), count: 1 },
      { kind: 'missing', colour: MISSING_COLOUR, count: 1 },
    ]);
  });

  it('shows every point as missing by cluster before any clustering', () => {
    const { index, items } = colourPoints(points, 'cluster');
    expect([...index]).toEqual([0, 0, 0, 0]);
    expect(items).toEqual([{ kind: 'missing', colour: MISSING_COLOUR, count: 4 }]);
  });

  it.each([
    [0.1, 0.9, 2],
    [0.2, 0.35, 2],
    [0.9999, 1, 5],
    [0.98, 0.99, 3],
    [0.5, 0.5, 2],
  ])('labels a score scale from %d to %d with %d decimals', (min, max, digits) => {
    expect(scoreDigits({ min, max })).toBe(digits);
  });
});
