/**
 * Evaluation and search over the open library: captions against their images, the modes against the reference
 * images, images by a text or like another image, and near-duplicates; and embedding every image of the open
 * folder. Embeddings come from the library's index; images not embedded yet are embedded first (told as
 * `embedding` events) and kept there. Cross-validating the modes (the probe retrains per reference) and
 * comparing every pair of images run in the analysis process, off the engine's event loop.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { packEmbeddings } from '../../engine/analysis/embeddings.js';
import { ClipSortError } from '../../engine/errors.js';
import { embedFiles, type EmbedError } from '../../engine/embedding/embedFiles.js';
import { evaluateCaptions } from '../../engine/evaluate/evaluateCaptions.js';
import { correctionsOf, libraryEvidence } from '../../engine/evaluate/evidence.js';
import type { ModeCalibration } from '../../engine/evaluate/modeCalibration.js';
import { libraryClasses } from '../../engine/evaluate/libraryClasses.js';
import { libraryVectors } from '../../engine/evaluate/libraryVectors.js';
import { cachedLibraryVectors } from '../../engine/evaluate/vectorCache.js';
import { queryScores } from '../../engine/evaluate/queryScores.js';
import { embedSearchText, rankScores } from '../../engine/evaluate/textSearch.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import { runJob } from '../../engine/jobs/jobProcess.js';
import { listImageFiles } from '../../engine/library/imageFiles.js';
import { MODES, type Mode } from '../../engine/choices.js';
import type { CommandResult } from '../contract/index.js';
import { DEFAULT_DUPLICATE_THRESHOLD, DEFAULT_SEARCH_LIMIT } from '../contract/evaluation.js';
import { decision } from '../state/settingsFile.js';
import { embeddingProgress } from './embeddingProgress.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** Where a captions file's images are looked for when the face names no folder. */
const DEFAULT_CAPTIONS_FOLDER = 'Dataset';

/** A mode's calibrated rule as the faces show it. */
function calibrationResult(mode: Mode, calibrated: ModeCalibration) {
  const { maxError, delta, rule, on, expectedCoverage, expectedError, observedError } = calibrated;
  const { labelled, fewest, perClass } = calibrated;
  return {
    mode,
    maxError,
    delta,
    rule,
    on,
    expectedCoverage,
    expectedError,
    observedError,
    labelled,
    fewest,
    perClass,
  };
}

/** An image that could not be embedded, as the faces show it (the engine's code stays inside). */
const failed = (errors: readonly EmbedError[]) => errors.map(({ file, error }) => ({ file, error }));

/** Why `file` has no embedding to search by: gone, not an image of the library, or not readable as one. */
async function notSearchable(
  root: string,
  file: string,
  errors: readonly EmbedError[],
): Promise<ClipSortError> {
  const failure = errors.find((e) => e.file === file);
  if (failure) return new ClipSortError(failure.code, `${file} could not be read: ${failure.error}`);
  const there = await lstat(path.join(root, file)).then(
    (stats) => stats.isFile(),
    () => false,
  );
  return there
    ? new ClipSortError(
        'image-unsupported',
        `${file} is not an image ClipSort reads in the library's Images/, Classes/ or Dataset/.`,
      )
    : new ClipSortError('file-missing', `${file} is not in the library.`);
}

export const evaluateHandlers: HandlersFor<
  | 'eval.captions'
  | 'eval.classes'
  | 'eval.promise'
  | 'search.text'
  | 'search.similar'
  | 'search.duplicates'
  | 'images.embed',
  Pick<HandlerContext, 'library' | 'model' | 'emit'>
> = {
  async 'eval.captions'({ captions, name, folder = DEFAULT_CAPTIONS_FOLDER, ...towers }, context) {
    const { root, index } = context.library();
    const inUse = await context.model.get();
    const loaded: ClipModel[] = [];
    /** The model a tower comes from: the installed model `id`, loaded for this comparison, or the one in use. */
    const modelFor = async (id: string | undefined) => {
      if (id === undefined) return { model: inUse, name: path.basename(inUse.modelDir) };
      const model = await context.model.loadInstalled(id);
      loaded.push(model);
      return { model, name: id };
    };
    try {
      const image = await modelFor(towers.imageModel);
      const text = towers.textModel === towers.imageModel ? image : await modelFor(towers.textModel);
      const report = await evaluateCaptions(root, captions, { image: image.model, text: text.model }, index, {
        name,
        folder,
        onProgress: embeddingProgress(context.emit),
      });
      return { encoders: { image: image.name, text: text.name }, ...report };
    } finally {
      await Promise.all(loaded.map((model) => model.dispose()));
    }
  },

  async 'eval.classes'(input, context) {
    const { root, index, classLanguage, settings } = context.library();
    const maxError = input.maxError ?? decision(settings).maxError;
    // No progress events: loading the classes embeds their references without telling how far it is.
    const model = await context.model.get();
    const set = await libraryClasses(root, model, index, { language: classLanguage });
    const { classes, scoring, errors } = set;
    const evidence = libraryEvidence(index, model.key, set);
    const { calibration, ...evaluation } = await runJob('evaluateModes', {
      classes,
      scoring,
      maxError,
      evidence,
    });
    const mode = context.library().settings.mode;
    const calibrated = calibration[mode];
    const curves = Object.fromEntries(
      MODES.map((each) => {
        const run = calibration[each];
        const chosen = run?.rule ? { coverage: run.expectedCoverage, error: run.observedError } : null;
        return [each, { points: run?.curve ?? [], chosen }];
      }),
    ) as CommandResult<'eval.classes'>['curves'];
    return {
      ...evaluation,
      curves,
      calibration: calibrated && calibrationResult(mode, calibrated),
      corrections: correctionsOf(
        index.labels.list(),
        classes.map((c) => c.name),
      ),
      errors: failed(errors),
    };
  },

  async 'eval.promise'(_input, context) {
    const library = context.library();
    const { root, index, classLanguage } = library;
    const model = await context.model.get();
    const set = await libraryClasses(root, model, index, { language: classLanguage });
    const { mode, decideBy, untilCalibrated, maxError } = decision(library.settings);
    const calibrated = await runJob('calibrateMode', {
      classes: set.classes,
      scoring: set.scoring,
      mode,
      maxError,
      evidence: libraryEvidence(index, model.key, set),
    });
    return {
      decideBy,
      untilCalibrated,
      calibration: calibrated && calibrationResult(mode, calibrated),
      corrections: correctionsOf(
        index.labels.list(),
        set.classes.map((c) => c.name),
      ),
      errors: failed(set.errors),
    };
  },

  async 'search.text'({ text, limit = DEFAULT_SEARCH_LIMIT, all }, context) {
    const { root, index } = context.library();
    const model = await context.model.get();
    const { files, packed, errors } = await cachedLibraryVectors(root, model, index, {
      onProgress: embeddingProgress(context.emit),
    });
    // A search is worded as the class names are.
    const query = await embedSearchText(model, text, context.library().classLanguage);
    const { hits, cut } = rankScores(queryScores(packed, query), limit, { all });
    const results = hits.map((hit) => ({ file: files[hit.index]!, score: hit.score }));
    return { results, cut, errors: failed(errors) };
  },

  async 'search.similar'({ file, limit = DEFAULT_SEARCH_LIMIT, all }, context) {
    const { root, index } = context.library();
    const { files, vectors, packed, errors } = await cachedLibraryVectors(
      root,
      await context.model.get(),
      index,
      { onProgress: embeddingProgress(context.emit) },
    );
    const at = files.indexOf(file);
    if (at < 0) throw await notSearchable(root, file, errors);
    // Near-copies of the image list first but do not set the cut: see `relevanceFloor`.
    const { hits, cut } = rankScores(queryScores(packed, vectors[at]!), limit, {
      all,
      skip: at,
      copies: DEFAULT_DUPLICATE_THRESHOLD,
    });
    const results = hits.map((hit) => ({ file: files[hit.index]!, score: hit.score }));
    return { file, results, cut, errors: failed(errors) };
  },

  async 'search.duplicates'({ threshold = DEFAULT_DUPLICATE_THRESHOLD }, context) {
    const { root, index } = context.library();
    const { files, vectors, errors } = await libraryVectors(root, await context.model.get(), index, {
      onProgress: embeddingProgress(context.emit),
    });
    const found = await runJob('duplicates', { embeddings: packEmbeddings(vectors), threshold });
    const groups = found.map((group) => ({
      files: group.members.map((i) => files[i]!),
      similarity: group.similarity,
    }));
    return { threshold, images: files.length, groups, errors: failed(errors) };
  },

  async 'images.embed'({ batch }, context) {
    const { root, index } = context.library();
    const files = await listImageFiles(root);
    const report = await embedFiles(root, files, await context.model.get(), index, {
      batchSize: batch,
      onProgress: embeddingProgress(context.emit),
    });
    const { embedded, cached, imagesPerSecond } = report;
    return { files: report.files, embedded, cached, errors: failed(report.errors), imagesPerSecond };
  },
};
