import { access } from 'node:fs/promises';
import { embedFiles, type EmbedError, type EmbedOptions } from '../embedding/embedFiles.js';
import { ClipSortError } from '../errors.js';
import type { ClipModel } from '../inference/clipModel.js';
import { readClassFolders } from '../library/classFolders.js';
import { listImageFiles } from '../library/imageFiles.js';
import { libraryFolders } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { buildClassifier, type ClassifierOptions } from './classifier.js';
import { decide, DEFAULT_DECISION, type DecisionRule } from './decision.js';
import { withDefaults } from './withDefaults.js';
import type { ClassEmbeddings } from './scores.js';

export interface Prediction {
  file: string;
  /** The best class (the suggestion, when the image goes to review). */
  class: string;
  score: number;
  margin: number;
  scores: Record<string, number>;
  /** True when score or margin falls short of the decision rule: sorting would hold the image for review. */
  review: boolean;
}

export interface Classification {
  predictions: Prediction[];
  errors: EmbedError[];
  /** Classes that had no reference images in an image mode and were scored by their prompts instead. */
  fellBack: string[];
  /** The rule that set `review`. */
  decision: DecisionRule;
}

export interface ClassifyOptions extends EmbedOptions, ClassifierOptions {
  /** Overrides of the mode's default threshold and margin. */
  decision?: Partial<DecisionRule>;
  /** The language the class names are written in (see `ClipModel.embedTexts`). */
  classLanguage?: string;
}

/** Throws unless `root` looks like a library (it has an `Images/` folder). */
export async function assertLibrary(root: string): Promise<void> {
  try {
    await access(libraryFolders(root).images);
  } catch {
    throw new ClipSortError(
      'not-a-library',
      `${root} is not a ClipSort library: it has no Images/ folder (a library holds Images/, Classes/ and ` +
        `Dataset/). To make it one, run: clipsort init ${root}`,
    );
  }
}

/**
 * Predicts a class for every image in `Images/` without moving anything: embeds the inbox and the class
 * references (reusing stored embeddings), embeds the class prompts when the mode needs them, and ranks.
 */
export async function classifyLibrary(
  root: string,
  model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages' | 'embedPromptSets' | 'scoring'>,
  index: LibraryIndex,
  options: ClassifyOptions,
): Promise<Classification> {
  await assertLibrary(root);
  const classes = await readClassFolders(root);
  if (classes.length === 0) {
    throw new ClipSortError(
      'no-classes',
      'The library has no classes yet: create a folder per class in Classes/ (its name is the prompt) and put a few example images in it.',
    );
  }
  const inbox = await listImageFiles(root, libraryFolders(root).images);
  const references = classes.flatMap((c) => c.references);
  const report = await embedFiles(root, [...references, ...inbox], model, index, options);

  const referenceVectors = classes.map((c) => c.references.flatMap((file) => report.vectors.get(file) ?? []));
  // The probe uses the prompts as its prior, and any mode uses them for a class without references.
  const usesPrompts = options.mode !== 'avg' && options.mode !== 'max';
  const needsText = usesPrompts || referenceVectors.some((refs) => refs.length === 0);
  const texts = needsText
    ? await model.embedPromptSets(
        classes.map((c) => c.prompts),
        options.classLanguage,
      )
    : [];
  const embedded: ClassEmbeddings[] = classes.map((c, i) => ({
    name: c.name,
    references: referenceVectors[i]!,
    text: texts[i],
  }));

  const classifier = buildClassifier(embedded, { ...options, scoring: model.scoring });
  const decision = withDefaults(DEFAULT_DECISION[options.mode], options.decision);
  const predictions = inbox.flatMap((file): Prediction[] => {
    const vector = report.vectors.get(file);
    if (!vector) return [];
    const ranking = classifier.rank(vector);
    return [
      {
        file,
        class: ranking.best,
        score: ranking.score,
        margin: ranking.margin,
        scores: Object.fromEntries(ranking.scores.map((s) => [s.name, s.score])),
        review: decide(ranking, decision).kind === 'review',
      },
    ];
  });
  return { predictions, errors: report.errors, fellBack: [...classifier.fellBack], decision };
}
