/**
 * Calibrated decisions: from labelled examples (images whose class a person knows, scored as sorting scores
 * them), the decision rule that files the most images while the share of filed images in the wrong class stays
 * at or below a target, with a finite-sample guarantee.
 *
 * The method is Selection with Guaranteed Risk (Geifman and El-Yaniv, "Selective Classification for Deep Neural
 * Networks", NeurIPS 2017): a binary search over cuts on a confidence statistic, each cut accepted when the
 * Clopper–Pearson upper bound on the error among the examples it files is at most the target. Each of the
 * ⌈log₂ n⌉ bounds holds with probability 1 − δ/⌈log₂ n⌉, so with probability at least 1 − δ the rule chosen
 * keeps its promise on new images drawn like the examples. With too few examples no cut passes and nothing is
 * filed automatically: more to review, never a broken promise.
 *
 * What the cut is on depends on the mode (`CONFIDENCE`), as measured over seeded worlds of CLIP-like embeddings
 * (test/bench/calibration.ts): where scores are probabilities (text, hybrid, probe), the best class's score and
 * its lead over the runner-up rank images alike (the best cut at 2 %, knowing the answers, files 55.4 % of text
 * mode's images on the score, 55.3 % on the lead); where scores are cosines (avg, max), how close an image is to
 * a class says little about whether it is the right one, and its lead says much (avg: 0.4 % on the score, 58.0 %
 * on the lead). Trying both, each at δ/2, would cost some of the first and gain nothing.
 *
 * A cut on the lead alone would file an image unlike every labelled one (a grey picture among colours) as long
 * as one class leads: no promise can be made about what was never labelled. So that rule also asks for a score
 * at least that of all but `TYPICAL_SHARE` of the rightly classified examples (a novelty test in the manner of
 * conformal prediction), which costs about that share of coverage on images like the labelled ones.
 */
import type { DecisionRule, Mode } from '../choices.js';

/** What a cut is on: the best class's score, or its lead over the runner-up. */
export type Confidence = 'score' | 'margin';

/** The statistic each mode's rule cuts on (see the file comment). */
export const CONFIDENCE: Readonly<Record<Mode, Confidence>> = {
  avg: 'margin',
  max: 'margin',
  text: 'score',
  hybrid: 'score',
  probe: 'score',
};

/** The share of rightly classified examples whose score a cut on the lead may fall below (see the file comment). */
const TYPICAL_SHARE = 0.01;

/** The score of all but `TYPICAL_SHARE` of the rightly classified examples; -1 (every score) without any. */
function typicalScore(examples: readonly LabelledExample[]): number {
  const scores = examples.filter((e) => e.correct).map((e) => e.score);
  if (scores.length === 0) return -1;
  scores.sort((a, b) => a - b);
  return scores[Math.floor(TYPICAL_SHARE * scores.length)]!;
}

/**
 * One labelled example: how sure sorting was of its best class (its score, and its lead over the runner-up), and
 * whether that class was the right one.
 */
export interface LabelledExample {
  score: number;
  margin: number;
  correct: boolean;
}

/** The statistic `on` of an example. */
export const confidenceOf = (example: LabelledExample, on: Confidence): number =>
  on === 'margin' ? example.margin : example.score;

export interface CalibrationOptions {
  /** The share of filed images allowed in the wrong class (0.02: at most 2 %). */
  maxError: number;
  /** The chance the promise may fail for these examples (0.1: it holds in at least 90 % of calibrations). */
  delta?: number;
  /** What the cut is on; the score unless set. */
  on?: Confidence;
}

export interface Calibration {
  /** The rule to sort with, or null when the examples cannot support any: everything waits for review. */
  rule: DecisionRule | null;
  /** What the cut is on, and the lowest value of it the rule files. */
  on: Confidence;
  cut: number | null;
  /** The share of the examples the rule files: what to expect of new images. */
  expectedCoverage: number;
  /** The bound on the share of filed images in the wrong class that holds with probability 1 − δ. */
  expectedError: number;
  /** The share of the filed examples in the wrong class. */
  observedError: number;
  labelled: number;
  delta: number;
}

export const DEFAULT_DELTA = 0.1;

/** ln Γ(x) (Lanczos, g = 7), for the binomial tail below; a few lines were not worth a dependency. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
function binomialCdf(k: number, n: number, p: number): number {
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  const logChoose = (i: number) => logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1);
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * The Clopper–Pearson upper bound: the largest error rate p under which seeing at most `errors` in `trials`
 * still has probability δ. With no trials, nothing is known: 1.
 */
export function errorUpperBound(errors: number, trials: number, delta: number): number {
  if (trials === 0) return 1;
  if (errors >= trials) return 1;
  let [low, high] = [errors / trials, 1];
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (binomialCdf(errors, trials, mid) > delta) low = mid;
    else high = mid;
  }
  return high;
}

interface Candidate {
  /** How many of the examples, most confident first, the cut files. */
  filed: number;
  cut: number;
  bound: number;
  errors: number;
}

/** The loosest cut on `values` (one per example) the binary search accepts, or null when none is. */
function searchCut(
  examples: readonly { value: number; correct: boolean }[],
  delta: number,
  maxError: number,
): Candidate | null {
  const sorted = [...examples].sort((a, b) => b.value - a.value);
  // errorsUpTo[i]: wrong examples among the i most confident.
  const errorsUpTo = [0];
  for (const example of sorted) errorsUpTo.push(errorsUpTo.at(-1)! + (example.correct ? 0 : 1));
  const steps = Math.max(1, Math.ceil(Math.log2(sorted.length)));
  const level = delta / steps;
  let best: Candidate | null = null;
  let [low, high] = [1, sorted.length];
  for (let step = 0; step < steps && low <= high; step++) {
    const mid = Math.floor((low + high) / 2);
    // Examples tied with the cut are filed with it: the rule is "at least the cut".
    const cut = sorted[mid - 1]!.value;
    let filed = mid;
    while (filed < sorted.length && sorted[filed]!.value >= cut) filed++;
    const bound = errorUpperBound(errorsUpTo[filed]!, filed, level);
    if (bound <= maxError) {
      best = { filed, cut, bound, errors: errorsUpTo[filed]! };
      low = filed + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/** The rule that files the most of `examples` within `maxError` (see the file comment). */
export function calibrate(examples: readonly LabelledExample[], options: CalibrationOptions): Calibration {
  const delta = options.delta ?? DEFAULT_DELTA;
  const on = options.on ?? 'score';
  const labelled = examples.length;
  // Cutting on the lead, an image must score like the labelled ones too: the others are never filed.
  const floor = on === 'margin' ? typicalScore(examples) : -Infinity;
  const values = examples
    .filter((example) => example.score >= floor)
    .map((example) => ({ value: confidenceOf(example, on), correct: example.correct }));
  const chosen = labelled === 0 ? null : searchCut(values, delta, options.maxError);
  if (!chosen) {
    return {
      rule: null,
      on,
      cut: null,
      expectedCoverage: 0,
      expectedError: 0,
      observedError: 0,
      labelled,
      delta,
    };
  }
  return {
    // On the score, the lead holds nothing back; on the lead, a score unlike the labelled ones does.
    rule: on === 'score' ? { threshold: chosen.cut, margin: 0 } : { threshold: floor, margin: chosen.cut },
    on,
    cut: chosen.cut,
    expectedCoverage: chosen.filed / labelled,
    expectedError: chosen.bound,
    observedError: chosen.errors / chosen.filed,
    labelled,
    delta,
  };
}

/**
 * The fewest examples that could support a rule at `maxError`, were every one of them right: below it, everything
 * waits for review whatever the examples say. With none wrong, the bound on n examples is 1 − level^(1/n).
 */
export function fewestExamples(maxError: number, delta = DEFAULT_DELTA): number {
  if (!(maxError > 0)) return Infinity;
  for (let n = 1; ; n++) {
    const level = delta / Math.max(1, Math.ceil(Math.log2(n)));
    if (1 - Math.pow(level, 1 / n) <= maxError) return n;
  }
}
