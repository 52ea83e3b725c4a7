import { dot } from '../inference/vectors.js';
import { DEFAULT_HYBRID, hybridScores, type HybridOptions } from './hybrid.js';
import { probeScores, trainProbe, type Probe, type ProbeOptions } from './probe.js';
import {
  CLIP_SCORING,
  maxSimilarity,
  meanSimilarity,
  rankScores,
  softmax,
  textOf,
  type ClassEmbeddings,
  type ClassScore,
  type Mode,
  type Ranking,
  type TextScoring,
} from './scores.js';
import { withDefaults } from './withDefaults.js';

/**
 * Scores of an image mode: `similarity` (a cosine) to each class's references. A class without references is
 * scored by its prompt cosine, shifted onto the image scale: image↔text cosines sit far below image↔image ones
 * (≈ 0.25 against ≈ 0.7 with CLIP), so the raw prompt cosine could never win. The shift is, for this image, the
 * mean of (image score − prompt cosine) over the classes that have both.
 */
export function imageScores(
  x: Float32Array,
  classes: readonly ClassEmbeddings[],
  similarity: (x: Float32Array, references: readonly Float32Array[]) => number,
): ClassScore[] {
  const image = classes.map((c) => (c.references.length > 0 ? similarity(x, c.references) : undefined));
  let shift = 0;
  if (image.includes(undefined)) {
    let n = 0;
    classes.forEach((c, i) => {
      const s = image[i];
      if (s === undefined || !c.text) return;
      shift += s - dot(x, c.text);
      n++;
    });
    shift = n > 0 ? shift / n : 0;
  }
  return classes.map((c, i) => ({
    name: c.name,
    score: image[i] ?? dot(x, textOf(c)) + shift,
    fellBack: image[i] === undefined,
  }));
}

/** Mean cosine to each class's references. */
export const avgScores = (x: Float32Array, classes: readonly ClassEmbeddings[]): ClassScore[] =>
  imageScores(x, classes, meanSimilarity);

/** Cosine to each class's closest reference. */
export const maxScores = (x: Float32Array, classes: readonly ClassEmbeddings[]): ClassScore[] =>
  imageScores(x, classes, maxSimilarity);

/**
 * Zero-shot probabilities from the cosine to each prompt embedding, as the model scores them: softmax over the
 * classes (CLIP), or each class's own sigmoid (SigLIP).
 */
export function textScores(
  x: Float32Array,
  classes: readonly ClassEmbeddings[],
  scoring: TextScoring = CLIP_SCORING,
): ClassScore[] {
  const logits = classes.map((c) => scoring.scale * dot(x, textOf(c)) + scoring.bias);
  const probabilities =
    scoring.kind === 'sigmoid' ? logits.map((logit) => 1 / (1 + Math.exp(-logit))) : softmax(logits);
  return classes.map((c, i) => ({ name: c.name, score: probabilities[i]!, fellBack: false }));
}

export interface ClassifierOptions {
  mode: Mode;
  hybrid?: Partial<HybridOptions>;
  probe?: Partial<ProbeOptions>;
  /** A probe trained earlier from the same classes (cache it under `probeKey`); trained here when absent. */
  trainedProbe?: Probe;
  /** How the model scores texts (CLIP's softmax at 100 unless set). */
  scoring?: TextScoring;
}

/** Ranks image embeddings against a fixed set of classes in one mode. */
export interface Classifier {
  readonly mode: Mode;
  /** Classes scored by their prompt because the mode needed references they do not have. */
  readonly fellBack: readonly string[];
  /** The probe in `probe` mode, for the caller to cache. */
  readonly probe?: Probe;
  rank(x: Float32Array): Ranking;
}

/**
 * Builds the classifier the sorting service and `clipsort classify` use. Checks up front that every class has
 * what the mode needs (a prompt embedding in `text` and `hybrid`, or to stand in for missing references), and in
 * `probe` mode trains the probe unless a trained one is given.
 */
export function buildClassifier(classes: readonly ClassEmbeddings[], options: ClassifierOptions): Classifier {
  if (classes.length === 0) throw new Error('there are no classes to rank');
  const { mode } = options;
  const imageMode = mode !== 'text';
  for (const c of classes) if (!imageMode || c.references.length === 0 || mode === 'hybrid') textOf(c);
  const withoutReferences = imageMode
    ? classes.filter((c) => c.references.length === 0).map((c) => c.name)
    : [];
  const hybrid = withDefaults(DEFAULT_HYBRID, options.hybrid);
  const scoring = options.scoring ?? CLIP_SCORING;
  const rankWith = (score: (x: Float32Array) => ClassScore[]): Classifier => ({
    mode,
    fellBack: withoutReferences,
    rank: (x) => rankScores(score(x)),
  });
  switch (mode) {
    case 'avg':
      return rankWith((x) => avgScores(x, classes));
    case 'max':
      return rankWith((x) => maxScores(x, classes));
    case 'text':
      return rankWith((x) => textScores(x, classes, scoring));
    case 'hybrid':
      return rankWith((x) => hybridScores(x, classes, hybrid, scoring.scale));
    case 'probe': {
      const probe = options.trainedProbe ?? trainProbe(classes, options.probe, scoring.scale);
      const names = classes.map((c) => c.name);
      if (probe.classes.join('\n') !== names.join('\n')) {
        throw new Error(`the probe was trained on other classes (${probe.classes.join(', ')})`);
      }
      return { mode, fellBack: probe.fellBack, probe, rank: (x) => rankScores(probeScores(probe, x)) };
    }
  }
}

/** Ranks one image; builds a classifier each call, so build one with `buildClassifier` for many images. */
export function rankClasses(
  x: Float32Array,
  classes: readonly ClassEmbeddings[],
  mode: Mode,
  scoring?: TextScoring,
): Ranking {
  return buildClassifier(classes, { mode, scoring }).rank(x);
}
