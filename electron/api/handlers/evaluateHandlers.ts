/**
 * Evaluation and search over the open library: captions against their images, the modes against the reference
 * images, images by a text, and near-duplicates. Embeddings come from the library's index; images not embedded
 * yet are embedded first and kept there. Cross-validating the modes (the probe retrains per reference) and
 * comparing every pair of images run in the analysis process, off the engine's event loop.
 */
import { packEmbeddings } from '../../engine/analysis/embeddings.js';
import { runJob } from '../../engine/jobs/jobProcess.js';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../engine/evaluate/duplicates.js';
import { evaluateCaptions } from '../../engine/evaluate/evaluateCaptions.js';
import { libraryClasses } from '../../engine/evaluate/libraryClasses.js';
import { libraryVectors } from '../../engine/evaluate/libraryVectors.js';
import { closestTo, DEFAULT_SEARCH_LIMIT, embedSearchText } from '../../engine/evaluate/textSearch.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** Where a captions file's images are looked for when the face names no folder. */
const DEFAULT_CAPTIONS_FOLDER = 'Dataset';

export const evaluateHandlers: HandlersFor<
  'eval.captions' | 'eval.classes' | 'search.text' | 'search.duplicates',
  Pick<HandlerContext, 'library' | 'model'>
> = {
  async 'eval.captions'({ captions, name, folder = DEFAULT_CAPTIONS_FOLDER }, context) {
    const { root, index } = context.library();
    const model = await context.model.get();
    const result = await evaluateCaptions(root, captions, model, index, { name, folder });
    return {
      images: result.images,
      captions: result.captions,
      categories: result.categories,
      matrix: result.matrix,
      top1: result.top1,
      top5: result.top5,
      captionTop1: result.captionTop1,
      captionTop5: result.captionTop5,
      diagonal: result.diagonal,
      offDiagonal: result.offDiagonal,
      missing: result.missing,
      imageMatrix: result.imageMatrix,
      textMatrix: result.textMatrix,
    };
  },

  async 'eval.classes'(_input, context) {
    const { root, index } = context.library();
    const { classes } = await libraryClasses(root, await context.model.get(), index);
    return runJob('evaluateModes', classes);
  },

  async 'search.text'({ text, limit = DEFAULT_SEARCH_LIMIT }, context) {
    const { root, index } = context.library();
    const model = await context.model.get();
    const { files, vectors } = await libraryVectors(root, model, index);
    const query = await embedSearchText(model, text);
    const results = closestTo(query, vectors, limit).map((hit) => ({
      file: files[hit.index]!,
      score: hit.score,
    }));
    return { results };
  },

  async 'search.duplicates'({ threshold = DEFAULT_DUPLICATE_THRESHOLD }, context) {
    const { root, index } = context.library();
    const { files, vectors } = await libraryVectors(root, await context.model.get(), index);
    const found = await runJob('duplicates', { embeddings: packEmbeddings(vectors), threshold });
    const groups = found.map((group) => ({
      files: group.members.map((i) => files[i]!),
      similarity: group.similarity,
    }));
    return { threshold, groups };
  },
};
