import type { Command } from 'commander';
import { closestTo, DEFAULT_SEARCH_LIMIT, embedSearchText } from '../engine/evaluate/textSearch.js';
import { withEmbeddedLibrary } from './libraryEmbeddings.js';
import { positiveInteger, withModelOptions, type ModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import type { GlobalOptions } from './run.js';

interface SearchCommandOptions extends GlobalOptions, ModelOptions {
  limit: number;
}

/** `clipsort search <library> "<text>"`: the library's images closest to a text, best first. */
export function registerSearchCommand(program: Command): void {
  withModelOptions(
    program
      .command('search')
      .description('find the images closest to a text ("dog on a beach"), best first')
      .argument('<library>', 'library folder')
      .argument('<text>', 'what to look for')
      .option('--limit <n>', 'how many images to list', positiveInteger, DEFAULT_SEARCH_LIMIT),
  ).action(async (library: string, text: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<SearchCommandOptions>();
    await withEmbeddedLibrary(library, options, async ({ files, vectors, failed }, model) => {
      const query = await embedSearchText(model, text);
      const results = closestTo(query, vectors, options.limit).map(({ index: i, score }) => ({
        file: files[i]!,
        score,
      }));
      if (options.json) return printJson({ text, results, errors: failed });
      if (results.length === 0) say('The library has no images to search.');
      for (const { file, score } of results) say(`${score.toFixed(3)}  ${file}`);
      for (const { error } of failed) say(`error: ${error}`);
    });
  });
}
