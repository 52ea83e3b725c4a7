import path from 'node:path';
import type { Command } from 'commander';
import { embedFiles } from '../engine/embedding/embedFiles.js';
import { listImageFiles } from '../engine/library/imageFiles.js';
import { LibraryIndex } from '../engine/store/libraryIndex.js';
import { loadModel, positiveInteger, withModelOptions, type ModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import { createProgress } from './progress.js';
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
    const root = path.resolve(folder);
    const files = await listImageFiles(root);
    const model = await loadModel(options);
    const index = LibraryIndex.open(root);
    const progress = createProgress('Embedding', { json: options.json, unit: 'images' });
    try {
      const report = await embedFiles(root, files, model, index, {
        batchSize: options.batch,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      const errors = report.errors.map(({ file, error }) => ({ file, error }));
      if (options.json) {
        const { files: count, embedded, cached, imagesPerSecond } = report;
        printJson({ files: count, embedded, cached, errors, imagesPerSecond });
      } else {
        say(
          `${report.files} images: ${report.embedded} embedded, ${report.cached} already cached, ${errors.length} failed`,
        );
        if (report.embedded > 0) say(`${report.imagesPerSecond.toFixed(1)} images/s`);
        for (const { error } of errors) say(`  ${error}`);
      }
    } finally {
      index.close();
      await model.dispose();
    }
  });
}
