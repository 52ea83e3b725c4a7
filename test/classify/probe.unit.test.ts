import { describe, expect, it } from 'vitest';
import { buildClassifier, textScores } from '../../electron/engine/classify/classifier.js';
import { probeKey, probeScores, trainProbe } from '../../electron/engine/classify/probe.js';
import { rankScores, type ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { makeClusters, v } from './clusters.js';

const bestOf = (probe: ReturnType<typeof trainProbe>, x: Float32Array) =>
  rankScores(probeScores(probe, x)).best;

/** Share of every class's references that the probe puts back in their class. */
function trainingAccuracy(probe: ReturnType<typeof trainProbe>, classes: readonly ClassEmbeddings[]): number {
  const all = classes.flatMap((c) => c.references.map((r) => bestOf(probe, r) === c.name));
  return all.filter(Boolean).length / all.length;
}

describe('probe mode (softmax regression on the references)', () => {
  it.each([
    ['with the text prior', { textPrior: true }],
    ['without it', { textPrior: false }],
  ])('learns separable clusters to 100 %% on its training data, %s', (_, options) => {
    const { classes, sample } = makeClusters({ classes: 5, perClass: 20, dims: 64, seed: 2 });
    const probe = trainProbe(classes, options);
    expect(probe.converged).toBe(true);
    expect(probe.textPrior).toBe(options.textPrior);
    expect(trainingAccuracy(probe, classes)).toBe(1);
    for (let i = 0; i < 25; i++) expect(bestOf(probe, sample(i % 5))).toBe(`class-${i % 5}`);
  });

  it('is deterministic: the same references give the same weights', () => {
    const { classes } = makeClusters({ classes: 4, perClass: 15, dims: 48, seed: 3, noise: 2 });
    const first = trainProbe(classes);
    const second = trainProbe(classes.map((c) => ({ ...c, references: c.references.map((r) => r.slice()) })));
    expect(second.weights).toEqual(first.weights);
    expect(second.iterations).toBe(first.iterations);
  });

  it.each([
    ['well apart', 0, 0.99],
    ['overlapping', 1.2, 0.8],
  ])('trains 1,000 references × 512 dimensions × 10 classes (%s) quickly', (what, confusion, accuracy) => {
    const { classes } = makeClusters({ classes: 10, perClass: 100, dims: 512, seed: 5, confusion });
    const start = performance.now();
    const probe = trainProbe(classes);
    const ms = performance.now() - start;
    const fit = trainingAccuracy(probe, classes);
    console.log(
      `probe, classes ${what}: 1000 × 512 × 10 trained in ${ms.toFixed(0)} ms, ${probe.iterations} iterations, ` +
        `${(100 * fit).toFixed(1)} % of the references fitted`,
    );
    expect(probe.converged).toBe(true);
    expect(fit).toBeGreaterThan(accuracy);
  });

  it('leans on the prompts with few references and a strong prior, and matches text mode in the limit', () => {
    const { classes, sample } = makeClusters({ classes: 5, perClass: 2, dims: 32, seed: 6, noise: 3 });
    const probe = trainProbe(classes, { lambda: 1e6 });
    for (let i = 0; i < 20; i++) {
      const x = sample(i % 5);
      const text = textScores(x, classes);
      probeScores(probe, x).forEach((s, k) => expect(s.score).toBeCloseTo(text[k]!.score, 3));
    }
  });

  it('follows many references over a misleading prompt', () => {
    const { classes, sample } = makeClusters({ classes: 4, perClass: 60, dims: 64, seed: 7 });
    // Every class gets the next class's prompt: zero-shot is always wrong.
    const misled = classes.map((c, i) => ({ ...c, text: classes[(i + 1) % 4]!.text }));
    expect(rankScores(textScores(sample(0), misled)).best).not.toBe('class-0');
    const probe = trainProbe(misled);
    for (let i = 0; i < 20; i++) expect(bestOf(probe, sample(i % 4))).toBe(`class-${i % 4}`);
  });

  it('trains a class without references on its prompt alone, and says so', () => {
    const classes: ClassEmbeddings[] = [
      { name: 'red', references: [v(1, 0.1, 0, 0), v(1, -0.1, 0, 0)], text: v(1, 0, 0, 0.2) },
      { name: 'green', references: [v(0, 1, 0.1, 0), v(0, 1, -0.1, 0)], text: v(0, 1, 0, 0.2) },
      { name: 'blue', references: [], text: v(0, 0, 1, 0.2) },
    ];
    const probe = trainProbe(classes);
    expect(probe.fellBack).toEqual(['blue']);
    expect(bestOf(probe, v(0, 0.1, 1, 0))).toBe('blue');
    expect(bestOf(probe, v(1, 0, 0.1, 0))).toBe('red');
    expect(probeScores(probe, v(0, 0, 1, 0)).map((s) => s.fellBack)).toEqual([false, false, true]);
    expect(() => trainProbe([{ name: 'lost', references: [] }])).toThrow(
      /lost has neither references nor a prompt/,
    );
  });

  it('needs no prompts without the prior, and weighs classes equally however many references they have', () => {
    const few = { name: 'few', references: [v(1, 0.2), v(1, -0.2)] };
    const many = { name: 'many', references: Array.from({ length: 40 }, (_, i) => v(-0.2 + i / 100, 1)) };
    const probe = trainProbe([few, many], { textPrior: false });
    expect(probe.textPrior).toBe(false);
    // Halfway between the two clusters, neither class wins by numbers.
    const [pFew, pMany] = probeScores(probe, v(1, 1)).map((s) => s.score);
    expect(Math.abs(pFew! - pMany!)).toBeLessThan(0.2);
  });

  it('rejects embeddings of different sizes and a λ that is not positive', () => {
    expect(() => trainProbe([{ name: 'a', references: [v(1, 0), v(1, 0, 0)] }])).toThrow(/different sizes/);
    expect(() => trainProbe([{ name: 'a', references: [v(1, 0)] }], { lambda: 0 })).toThrow(
      /λ must be positive/,
    );
    const probe = trainProbe([{ name: 'a', references: [v(1, 0)] }]);
    expect(() => probeScores(probe, v(1, 0, 0))).toThrow(/takes 2 dimensions, not 3/);
  });
});

describe('caching a probe', () => {
  const { classes } = makeClusters({ classes: 3, perClass: 4, dims: 16, seed: 8 });

  it('keys it by everything it is trained from', () => {
    const key = probeKey(classes);
    expect(probeKey(classes.map((c) => ({ ...c })))).toBe(key);
    const changed = classes.map((c, i) => (i === 1 ? { ...c, references: c.references.slice(1) } : c));
    const moved = classes.map((c, i) =>
      i === 2 ? { ...c, references: [...c.references, v(...c.references[0]!.map((x) => -x))] } : c,
    );
    const renamed = classes.map((c, i) => (i === 0 ? { ...c, name: 'other' } : c));
    const reworded = classes.map((c, i) => (i === 0 ? { ...c, text: classes[1]!.text } : c));
    const keys = [
      key,
      probeKey(changed),
      probeKey(moved),
      probeKey(renamed),
      probeKey(reworded),
      probeKey(classes, { lambda: 1 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // Options left at their defaults do not change the key.
    expect(probeKey(classes, { lambda: undefined })).toBe(key);
  });

  it('reuses a trained probe for the same classes and refuses one trained on others', () => {
    const probe = trainProbe(classes);
    const classifier = buildClassifier(classes, { mode: 'probe', trainedProbe: probe });
    expect(classifier.probe).toBe(probe);
    const renamed = classes.map((c, i) => (i === 0 ? { ...c, name: 'other' } : c));
    expect(() => buildClassifier(renamed, { mode: 'probe', trainedProbe: probe })).toThrow(
      /trained on other classes/,
    );
  });
});
