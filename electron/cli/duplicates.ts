import type { Command } from 'commander';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../api/contract/evaluation.js';
import { count } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { similarity } from './optionValues.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface DuplicatesCommandOptions extends GlobalOptions, ModelOptions {
  threshold: number;
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
    await withCommands({ library, options }, async (client) => {
      const result = await withEmbeddingProgress(client, options, () =>
        client.invoke('search.duplicates', { threshold: options.threshold }),
      );
      if (options.json) return printJson(result);
      const { threshold, images, groups, errors } = result;
      say(
        groups.length === 0
          ? `No near-duplicates among ${count(images, 'image')} (threshold ${threshold}).`
          : `${count(groups.length, 'group')} of near-duplicates among ${count(images, 'image')} (threshold ${threshold}):`,
      );
      for (const group of groups) {
        say(`similarity ${group.similarity.toFixed(3)}:`);
        for (const file of group.files) say(`  ${file}`);
      }
      for (const { error } of errors) say(`error: ${error}`);
    });
  });
}
