import type { Command } from 'commander';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../api/contract/evaluation.js';
import { withCommands } from './commands.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { positiveInteger } from './optionValues.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface SearchCommandOptions extends GlobalOptions, ModelOptions {
  limit: number;
  all?: boolean;
}

/** `clipsort search <library> "<text>"`: the library's images closest to a text, best first. */
export function registerSearchCommand(program: Command): void {
  withModelOptions(
    program
      .command('search')
      .description('find the images closest to a text ("dog on a beach"), best first')
      .argument('<library>', 'library folder')
      .argument('<text>', 'what to look for')
      .option('--limit <n>', 'how many images to list', positiveInteger, DEFAULT_SEARCH_LIMIT)
      .option('--all', 'list the barely related images too, not only those above the relevance cut'),
  ).action(async (library: string, text: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<SearchCommandOptions>();
    await withCommands({ library, options }, async (client) => {
      // A larger limit would list the same images: every one of a library that size.
      const limit = Math.min(options.limit, MAX_SEARCH_LIMIT);
      const { results, cut, errors } = await withEmbeddingProgress(client, options, () =>
        client.invoke('search.text', { text, limit, all: options.all === true }),
      );
      if (options.json) return printJson({ text, results, cut, errors });
      if (results.length === 0) say('The library has no images to search.');
      for (const { file, score } of results) say(`${score.toFixed(3)}  ${file}`);
      if (cut > 0) say(`${cut} less relevant ${cut === 1 ? 'image' : 'images'} left out: --all lists them.`);
      for (const { error } of errors) say(`error: ${error}`);
    });
  });
}
