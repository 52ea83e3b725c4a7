import { type Command, Option } from 'commander';
import { DEFAULT_DECISION, DEFAULT_HYBRID, DEFAULT_MODE, MODES, type Mode } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { margin, nonNegative, score } from './optionValues.js';
import { printJson, say } from './output.js';
import { withEmbeddingProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface ClassifyCommandOptions extends GlobalOptions, ModelOptions {
  mode: Mode;
  threshold?: number;
  margin?: number;
  alpha?: number;
  beta?: number;
}

const defaultsByMode = MODES.map(
  (m) => `${m} ${DEFAULT_DECISION[m].threshold}/${DEFAULT_DECISION[m].margin}`,
);

/** `clipsort classify <library>`: predicts a class for every image in Images/, moving nothing. */
export function registerClassifyCommand(program: Command): void {
  withModelOptions(
    program
      .command('classify')
      .description('predict a class for every image in the library inbox (moves nothing)')
      .argument('<library>', 'library folder (with Images/ and Classes/)')
      .addOption(
        new Option('--mode <mode>', 'how images are compared with classes')
          .choices(MODES)
          .default(DEFAULT_MODE),
      )
      .option(
        '--threshold <score>',
        `lowest score that would sort an image (defaults, threshold/margin: ${defaultsByMode.join(', ')})`,
        score,
      )
      .option(
        '--margin <score>',
        "lowest lead over the runner-up that would sort an image (default: the mode's)",
        margin,
      )
      .option(
        '--alpha <weight>',
        `hybrid: weight of the reference images against the prompts (default ${DEFAULT_HYBRID.alpha})`,
        nonNegative,
      )
      .option(
        '--beta <sharpness>',
        `hybrid: how much the closest references count (default ${DEFAULT_HYBRID.beta})`,
        nonNegative,
      ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<ClassifyCommandOptions>();
    await withCommands({ library, options }, async (client) => {
      const result = await withEmbeddingProgress(client, options, () =>
        client.invoke('sort.preview', {
          mode: options.mode,
          threshold: options.threshold,
          margin: options.margin,
          alpha: options.alpha,
          beta: options.beta,
        }),
      );
      if (options.json) return printJson(result);
      for (const name of result.fellBack) {
        say(`note: class "${name}" has no reference images; it is scored by its text prompt.`);
      }
      for (const p of result.predictions) {
        const numbers = `score ${p.score.toFixed(3)}, margin ${p.margin.toFixed(3)}`;
        say(
          p.review
            ? `${p.file} → review (best guess ${p.class}, ${numbers})`
            : `${p.file} → ${p.class} (${numbers})`,
        );
      }
      const waiting = result.predictions.filter((p) => p.review).length;
      if (waiting > 0) {
        const { threshold, margin } = result.decision;
        say(
          `${waiting} of ${result.predictions.length} would wait for review (threshold ${threshold}, margin ${margin}).`,
        );
      }
      for (const { error } of result.errors) say(`error: ${error}`);
    });
  });
}
