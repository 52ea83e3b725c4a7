import type { Command } from 'commander';
import { count, type CommandResult } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { evalCaptions, type CaptionsOptions } from './evalCaptions.js';
import { withModelOptions } from './modelOptions.js';
import { printJson, say } from './output.js';
import { errorShare } from './optionValues.js';
import { clip, percent, table } from './textTable.js';

interface EvalCommandOptions extends CaptionsOptions {
  captions?: string;
  classes?: boolean;
  promise?: boolean;
  maxError?: number;
}

function printClasses(result: CommandResult<'eval.classes'>): void {
  const how = result.folds === result.references ? 'leave-one-out' : `${result.folds}-fold cross-validation`;
  say(
    `${count(result.classes.length, 'class', 'classes')}, ${count(result.references, 'reference image')} (${how})`,
  );
  const rows = [['mode', 'accuracy', '']];
  for (const [mode, accuracy] of Object.entries(result.modes)) {
    rows.push([mode, percent(accuracy), mode === result.recommended ? '← recommended' : '']);
  }
  for (const line of table(rows)) say(`  ${line}`);
  if (result.recommended === null)
    say('Nothing to compare: evaluating modes needs two classes with references.');
  for (const name of result.single) {
    say(
      `note: class "${name}" has a single reference; while it is left out, the class is scored by its prompt.`,
    );
  }
  if (result.recommended !== null) {
    say();
    say(`Confusion in ${result.recommended} mode (rows: true class, columns: predicted):`);
    const header = ['', ...result.classes.map((c) => clip(c, 12))];
    const body = result.confusion[result.recommended].map((row, i) => [
      clip(result.classes[i]!, 24),
      ...row.map(String),
    ]);
    for (const line of table([header, ...body])) say(`  ${line}`);
  }
  if (result.calibration) {
    say();
    say(describeCalibration(result.calibration));
  }
  printCorrections(result);
}

type Calibrated = NonNullable<CommandResult<'eval.classes'>['calibration']>;

/** The promise the calibrated rule makes, in words: how much it files, and how often it may be wrong. */
function describeCalibration(calibration: Calibrated): string {
  const { mode, maxError, labelled } = calibration;
  const based = `based on ${count(labelled, 'labelled photo')}`;
  if (calibration.rule === null) {
    return (
      `Calibrated for ${mode} mode at ${percent(maxError)}: too few labelled photos to promise it (${based}; ` +
      `it takes at least ${calibration.fewest}).`
    );
  }
  const cut =
    calibration.on === 'margin'
      ? `lead over the runner-up at least ${calibration.rule.margin.toFixed(3)}`
      : `score at least ${calibration.rule.threshold.toFixed(3)}`;
  return (
    `Calibrated for ${mode} mode (${based}): about ${percent(calibration.expectedCoverage)} of new photos ` +
    `will be filed automatically; at most ${percent(maxError)} of those in the wrong class (${cut}).`
  );
}

/** What the library's decisions promise, how they are made meanwhile, and each class's labels and corrections. */
function printPromise(result: CommandResult<'eval.promise'>): void {
  const { calibration, corrections } = result;
  if (!calibration) {
    say('Nothing to promise yet: sorting needs at least two classes with labelled photos.');
    return;
  }
  say(describeCalibration(calibration));
  if (result.decideBy === 'threshold') {
    say('Sorting decides by a fixed threshold and margin: it promises nothing about how often it is wrong.');
  } else if (calibration.rule === null) {
    say(
      result.untilCalibrated === 'review'
        ? 'Until there are more, new photos wait for review.'
        : 'Until there are more, new photos are filed by the fixed threshold and margin, with no promise.',
    );
  }
  const rows = [['class', 'labelled', 'filed', 'corrected', 'undone']];
  for (const [name, each] of Object.entries(calibration.perClass)) {
    const corrected = corrections.perClass[name] ?? { corrected: 0, undone: 0 };
    const cells = [String(each.labelled), percent(each.coverage), String(corrected.corrected)];
    rows.push([name, ...cells, String(corrected.undone)]);
  }
  say();
  for (const line of table(rows)) say(`  ${line}`);
  printCorrections(result);
}

function printCorrections(result: Pick<CommandResult<'eval.promise'>, 'corrections' | 'errors'>): void {
  for (const { suggested, chosen, count: times } of result.corrections.confusions) {
    say(`correction: ${count(times, 'photo')} suggested as "${suggested}" belonged in "${chosen}"`);
  }
  for (const { error } of result.errors) say(`error: ${error}`);
}

/** `clipsort eval`: how well captions match their images, or which mode suits a library's classes. */
export function registerEvalCommand(program: Command): void {
  withModelOptions(
    program
      .command('eval')
      .description(
        "score a captions file against the images of a folder (--captions), every mode on a library's classes " +
          '(--classes), or say what its decisions promise (--promise)',
      )
      .argument('<folder>', 'the images of the captions file, or a library')
      .option('--captions <file>', 'captions file: CSV filename,category,caption or JSON by category')
      .option('--classes', "leave-one-out accuracy of every mode on the library's reference images")
      .option(
        '--promise',
        "how often the library's decisions may be wrong and how much they file, per class, with the corrections",
      )
      .option(
        '--max-error <share>',
        'with --classes: the share of filed images allowed in the wrong class, for the calibrated rule (default 0.02)',
        errorShare,
      )
      .option(
        '--image-model <id>',
        'with --captions: compare the model in use with the image encoder of this installed model (default: the one in use)',
      )
      .option(
        '--text-model <id>',
        'with --captions: compare the model in use with the text encoder of this installed model (default: the one in use)',
      ),
  ).action(async (folder: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<EvalCommandOptions>();
    const asked = [options.captions !== undefined, options.classes, options.promise].filter(Boolean);
    if (asked.length !== 1) command.error('Give one of --captions FILE, --classes or --promise.');
    const towers = options.imageModel !== undefined || options.textModel !== undefined;
    if (towers && options.captions === undefined) {
      command.error(
        '--image-model and --text-model compare encoders on a captions file: give --captions FILE.',
      );
    }
    if (options.captions !== undefined) await evalCaptions(folder, options.captions, options);
    else if (options.classes) await evalClasses(folder, options);
    else await evalPromise(folder, options);
  });
}

async function evalClasses(library: string, options: EvalCommandOptions): Promise<void> {
  await withCommands({ library, options }, async (client) => {
    const result = await client.invoke('eval.classes', { maxError: options.maxError });
    if (options.json) printJson(result);
    else printClasses(result);
  });
}

async function evalPromise(library: string, options: EvalCommandOptions): Promise<void> {
  await withCommands({ library, options }, async (client) => {
    const result = await client.invoke('eval.promise');
    if (options.json) printJson(result);
    else printPromise(result);
  });
}
