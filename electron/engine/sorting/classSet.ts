import type { ClassEmbeddings, TextScoring } from '../classify/scores.js';
import type { EmbeddingQueue } from '../embedding/embeddingQueue.js';
import type { ClipModel } from '../inference/clipModel.js';
import { readClassFolders } from '../library/classFolders.js';

/** The library's classes with everything a classifier needs, and what went wrong reading them. */
export interface ClassSet {
  classes: ClassEmbeddings[];
  /** How the model that embedded them scores texts. */
  scoring: TextScoring;
  /** The content (sha256) of every reference image used. */
  referenceHashes: string[];
  /** Reference images that could not be used, with the reason. */
  errors: { file: string; code: string; error: string }[];
}

/**
 * Reads `Classes/`: embeds every class's reference images through the queue (stored embeddings are reused) and
 * its prompt ensemble. Prompt embeddings are remembered by prompt text, so re-reading the classes after a change
 * embeds only what is new.
 */
export class ClassSetLoader {
  private readonly prompts = new Map<string, Float32Array>();

  constructor(
    private readonly root: string,
    private readonly model: Pick<ClipModel, 'embedPromptSets' | 'scoring'>,
    private readonly queue: EmbeddingQueue,
    /** The language the class names are written in (see `ClipModel.embedTexts`). */
    private readonly language = 'en',
  ) {}

  async load(): Promise<ClassSet> {
    const folders = await readClassFolders(this.root);
    const errors: ClassSet['errors'] = [];
    const referenceHashes: string[] = [];
    const references = await Promise.all(
      folders.map(async (folder) => {
        const outcomes = await Promise.all(folder.references.map((file) => this.queue.embed(file)));
        return outcomes.flatMap((outcome) => {
          if (outcome.status !== 'failed') {
            referenceHashes.push(outcome.sha256);
            return [outcome.vector];
          }
          errors.push({ file: outcome.file, code: outcome.code, error: outcome.error });
          return [];
        });
      }),
    );
    const keys = folders.map((folder) => JSON.stringify(folder.prompts));
    const missing = folders.filter((_, i) => !this.prompts.has(keys[i]!));
    const embedded = await this.model.embedPromptSets(
      missing.map((folder) => folder.prompts),
      this.language,
    );
    missing.forEach((folder, i) => this.prompts.set(JSON.stringify(folder.prompts), embedded[i]!));
    const classes = folders.map((folder, i) => ({
      name: folder.name,
      references: references[i]!,
      text: this.prompts.get(keys[i]!)!,
    }));
    return { classes, scoring: this.model.scoring, referenceHashes, errors };
  }
}
