import { type Command, InvalidArgumentError } from 'commander';
import { packEmbeddings } from '../engine/analysis/embeddings.js';
import { DEFAULT_DUPLICATE_THRESHOLD, findDuplicates } from '../engine/evaluate/duplicates.js';
import { withEmbeddedLibrary } from './libraryEmbeddings.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import type { GlobalOptions } from './run.js';

interface DuplicatesCommandOptions extends GlobalOptions, ModelOptions {
  threshold: number;
}

/** A cosine from 0.5 to 1: below 0.5, CLIP finds most of a library "similar". */
function similarity(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0.5 && n <= 1)) {
    throw new InvalidArgumentError(`expected a similarity from 0.5 to 1, got ${value}`);
  }
  return n;
}

/** `clipsort duplicates <library>`: groups of near-identical images. */
export function registerDuplicatesCommand(program: Command): void {
  withModelOptions(
    program
      .command('duplicates')
      .description('find groups of near-duplicate images (copies, re-encodings, resizes, small edits)')
      .argument('<library>', 'library folder')
      .option(
        '--threshold <similarity>',
        'lowest cosine similarity of two embeddings that makes them duplicates (0.5–1)',
        similarity,
        DEFAULT_DUPLICATE_THRESHOLD,
      ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<DuplicatesCommandOptions>();
    await withEmbeddedLibrary(library, options, ({ files, vectors, failed }) => {
      const groups = findDuplicates({
        embeddings: packEmbeddings(vectors),
        threshold: options.threshold,
      }).map((group) => ({
        files: group.members.map((i) => files[i]!),
        similarity: group.similarity,
      }));
      if (options.json) {
        return printJson({ threshold: options.threshold, images: files.length, groups, errors: failed });
      }
      say(
        groups.length === 0
          ? `No near-duplicates among ${files.length} images (threshold ${options.threshold}).`
          : `${groups.length} groups of near-duplicates among ${files.length} images (threshold ${options.threshold}):`,
      );
      for (const group of groups) {
        say(`similarity ${group.similarity.toFixed(3)}:`);
        for (const file of group.files) say(`  ${file}`);
      }
      for (const { error } of failed) say(`error: ${error}`);
    });
  });
}
