import { describe, expect, it } from 'vitest';
import { buildClassifier, textScores } from '../../electron/engine/classify/classifier.js';
import { CLIP_SCORING, type ClassEmbeddings } from '../../electron/engine/classify/scores.js';
import { scoringOf } from '../../electron/engine/inference/modelFiles.js';

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
};
const classes: ClassEmbeddings[] = [
  { name: 'a', references: [unit(1, 0.1, 0)], text: unit(1, 0, 0) },
  { name: 'b', references: [unit(0.1, 1, 0)], text: unit(0.6, 0.8, 0) },
];
const x = unit(0.9, 0.3, 0.1);
const cosines = classes.map((c) => c.text!.reduce((sum, v, i) => sum + v * x[i]!, 0));

describe('text scores as the model states them', () => {
  it('is a softmax of scale × cosine for CLIP, at the scale given', () => {
    for (const scale of [100, 20]) {
      const scores = textScores(x, classes, { kind: 'softmax', scale, bias: 0 }).map((s) => s.score);
      const exps = cosines.map((cos) => Math.exp(scale * cos));
      expect(scores[0]).toBeCloseTo(exps[0]! / (exps[0]! + exps[1]!), 9);
      expect(scores[0]! + scores[1]!).toBeCloseTo(1, 12);
    }
  });

  it("is each class's own sigmoid of scale × cosine + bias for SigLIP", () => {
    const scoring = { kind: 'sigmoid', scale: 10, bias: -8 } as const;
    const scores = textScores(x, classes, scoring).map((s) => s.score);
    cosines.forEach((cos, i) => expect(scores[i]).toBeCloseTo(1 / (1 + Math.exp(-(10 * cos - 8))), 12));
    expect(buildClassifier(classes, { mode: 'text', scoring }).rank(x).score).toBeCloseTo(scores[0]!, 12);
  });

  it('makes the hybrid and probe modes follow the scale too', () => {
    const flat = { kind: 'softmax', scale: 1, bias: 0 } as const;
    for (const mode of ['hybrid', 'probe'] as const) {
      const sharp = buildClassifier(classes, { mode }).rank(x);
      const soft = buildClassifier(classes, { mode, scoring: flat }).rank(x);
      expect(soft.margin).toBeLessThan(sharp.margin);
    }
  });

  it('reads the learned scale and bias a config states, and ignores where training started', () => {
    expect(scoringOf({})).toEqual(CLIP_SCORING);
    expect(scoringOf({ logit_scale_init_value: 2.6592, init_logit_scale: 2.3 })).toEqual(CLIP_SCORING);
    expect(scoringOf({ logit_scale: 50 })).toEqual({ kind: 'softmax', scale: 50, bias: 0 });
    expect(scoringOf({ logit_scale: 117.3, logit_bias: -12.9 })).toEqual({
      kind: 'sigmoid',
      scale: 117.3,
      bias: -12.9,
    });
    expect(scoringOf({ logit_scale: -1 })).toEqual(CLIP_SCORING);
    expect(scoringOf({ logit_scale: 'big' })).toEqual(CLIP_SCORING);
  });
});
