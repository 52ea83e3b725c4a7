import type { Command } from 'commander';
import { MAX_EMBED_BATCH } from '../api/contract/evaluation.js';
import { count } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { positiveInteger } from './optionValues.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface EmbedCommandOptions extends GlobalOptions, ModelOptions {
  batch: number;
}

/** `clipsort embed <folder>`: embeds every image under a folder and keeps the embeddings in its index. */
export function registerEmbedCommand(program: Command): void {
  withModelOptions(
    program
      .command('embed')
      .description('embed every image in a folder (recursively) and cache the embeddings')
      .argument('<folder>', 'folder of images')
      .option('--batch <n>', 'images per inference batch', positiveInteger, 16),
  ).action(async (folder: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<EmbedCommandOptions>();
    // Any folder of images, a library or not: it is opened as a plain folder, with its own index.
    await withCommands({ library: folder, kind: 'folder', options }, async (client) => {
      // The batch size changes only speed and memory, never what is embedded.
      const batch = Math.min(options.batch, MAX_EMBED_BATCH);
      const report = await withEmbeddingProgress(client, options, () =>
        client.invoke('images.embed', { batch }),
      );
      if (options.json) return printJson(report);
      const { files, embedded, cached, errors, imagesPerSecond } = report;
      say(
        `${count(files, 'image')}: ${embedded} embedded, ${cached} already cached, ${errors.length} failed`,
      );
      if (embedded > 0) say(`${imagesPerSecond.toFixed(1)} images/s`);
      for (const { error } of errors) say(`  ${error}`);
    });
  });
}
