import { EmbeddingQueue, type QueueOptions } from '../embedding/embeddingQueue.js';
import { ClipSortError } from '../errors.js';
import type { ClipModel } from '../inference/clipModel.js';
import { ClassSetLoader, type ClassSet } from '../sorting/classSet.js';
import type { LibraryIndex } from '../store/libraryIndex.js';

/**
 * The library's classes with their reference and prompt embeddings, as sorting reads them (stored embeddings are
 * reused). Refuses a library without classes.
 */
export async function libraryClasses(
  root: string,
  model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages' | 'embedPromptSets' | 'scoring'>,
  index: LibraryIndex,
  options: QueueOptions & { language?: string } = {},
): Promise<ClassSet> {
  const queue = new EmbeddingQueue(root, model, index, options);
  let set: ClassSet;
  try {
    set = await new ClassSetLoader(root, model, queue, options.language).load();
  } finally {
    await queue.close();
  }
  if (set.classes.length === 0) {
    throw new ClipSortError(
      'no-classes',
      'The library has no classes yet: create a folder per class in Classes/ and put a few example images in it.',
    );
  }
  return set;
}
