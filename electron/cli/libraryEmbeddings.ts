import { libraryVectors, type LibraryVectors } from '../engine/evaluate/libraryVectors.js';
import type { ClipModel } from '../engine/inference/clipModel.js';
import { loadModel, type ModelOptions } from './modelOptions.js';
import { withLibrary } from './openLibrary.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

/** A library's embedded images, and those that could not be embedded with why, as the commands print them. */
export interface EmbeddedLibrary extends Pick<LibraryVectors, 'files' | 'vectors'> {
  failed: { file: string; error: string }[];
}

/**
 * Opens `library` and embeds its images with a progress line (those embedded before come from its index), then
 * hands them and the model to `use`; the model is released afterwards.
 */
export async function withEmbeddedLibrary(
  library: string,
  options: GlobalOptions & ModelOptions,
  use: (library: EmbeddedLibrary, model: ClipModel) => Promise<void> | void,
): Promise<void> {
  await withLibrary(library, async (root, index) => {
    const model = await loadModel(options);
    const progress = createProgress('Embedding', { json: options.json, unit: 'images' });
    try {
      const { files, vectors, errors } = await libraryVectors(root, model, index, {
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      await use({ files, vectors, failed: errors.map(({ file, error }) => ({ file, error })) }, model);
    } finally {
      await model.dispose();
    }
  });
}
