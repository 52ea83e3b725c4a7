import path from 'node:path';
import type { Command } from 'commander';
import type { CommandResult } from '../api/contract/index.js';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../api/contract/evaluation.js';
import { withCommands } from './commands.js';
import { libraryFile } from './library.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { positiveInteger } from './optionValues.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface SearchCommandOptions extends GlobalOptions, ModelOptions {
  limit: number;
  all?: boolean;
}

type Found = CommandResult<'search.text'>;

/** One line per image with its score, then what the relevance cut left out and what failed. */
function printFound({ results, cut, errors }: Found, empty: string): void {
  if (results.length === 0) say(empty);
  for (const { file, score } of results) say(`${score.toFixed(3)}  ${file}`);
  if (cut > 0) say(`${cut} less relevant ${cut === 1 ? 'image' : 'images'} left out: --all lists them.`);
  for (const { error } of errors) say(`error: ${error}`);
}

/** The options both searches take: how many to list, and whether past the relevance cut. */
const withListOptions = (command: Command) =>
  withModelOptions(
    command
      .option('--limit <n>', 'how many images to list', positiveInteger, DEFAULT_SEARCH_LIMIT)
      .option('--all', 'list the barely related images too, not only those above the relevance cut'),
  );

/** What a search sends for its options; a larger limit would list the same images, every one of a library. */
const listing = (options: SearchCommandOptions) => ({
  limit: Math.min(options.limit, MAX_SEARCH_LIMIT),
  all: options.all === true,
});

/**
 * `clipsort search <library> "<text>"`: the library's images closest to a text, best first; `clipsort similar
 * <library> <file>`: those most like one of its images.
 */
export function registerSearchCommand(program: Command): void {
  withListOptions(
    program
      .command('search')
      .description('find the images closest to a text ("dog on a beach"), best first')
      .argument('<library>', 'library folder')
      .argument('<text>', 'what to look for'),
  ).action(async (library: string, text: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<SearchCommandOptions>();
    await withCommands({ library, options }, async (client) => {
      const { results, cut, errors } = await withEmbeddingProgress(client, options, () =>
        client.invoke('search.text', { text, ...listing(options) }),
      );
      if (options.json) return printJson({ text, results, cut, errors });
      printFound({ results, cut, errors }, 'The library has no images to search.');
    });
  });

  withListOptions(
    program
      .command('similar')
      .description('find the images most like one image of the library, best first')
      .argument('<library>', 'library folder')
      .argument('<file>', 'the image, as a path in the library (Images/…, Classes/…, Dataset/…)'),
  ).action(async (library: string, file: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<SearchCommandOptions>();
    await withCommands({ library, options }, async (client) => {
      const found = await withEmbeddingProgress(client, options, () =>
        client.invoke('search.similar', {
          file: libraryFile(path.resolve(library), file),
          ...listing(options),
        }),
      );
      if (options.json) return printJson(found);
      printFound(found, 'The library has no other images.');
    });
  });
}
