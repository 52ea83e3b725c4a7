import path from 'node:path';
import { type Command, Option } from 'commander';
import { assertLibrary, classifyLibrary } from '../engine/classify/classifyLibrary.js';
import { MODES, type Mode } from '../engine/classify/scores.js';
import { LibraryIndex } from '../engine/store/libraryIndex.js';
import { loadModel, withModelOptions, type ModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface ClassifyCommandOptions extends GlobalOptions, ModelOptions {
  mode: Mode;
}

/** `clipsort classify <library>`: predicts a class for every image in Images/, moving nothing. */
export function registerClassifyCommand(program: Command): void {
  withModelOptions(
    program
      .command('classify')
      .description('predict a class for every image in the library inbox (moves nothing)')
      .argument('<library>', 'library folder (with Images/ and Classes/)')
      .addOption(
        new Option('--mode <mode>', 'how images are compared with classes').choices(MODES).default('avg'),
      ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<ClassifyCommandOptions>();
    const root = path.resolve(library);
    await assertLibrary(root);
    const model = await loadModel(options);
    const index = LibraryIndex.open(root);
    const progress = createProgress('Embedding', { json: options.json, unit: 'images' });
    try {
      const result = await classifyLibrary(root, model, index, {
        mode: options.mode,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      if (options.json) {
        printJson({
          predictions: result.predictions,
          errors: result.errors.map(({ file, error }) => ({ file, error })),
        });
        return;
      }
      for (const name of result.fellBack) {
        say(`note: class "${name}" has no reference images; it was scored by its text prompt.`);
      }
      for (const p of result.predictions) {
        say(`${p.file} → ${p.class} (score ${p.score.toFixed(3)}, margin ${p.margin.toFixed(3)})`);
      }
      for (const { error } of result.errors) say(`error: ${error}`);
    } finally {
      index.close();
      await model.dispose();
    }
  });
}
