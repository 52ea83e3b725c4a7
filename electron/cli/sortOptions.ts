import { type Command, Option } from 'commander';
import { DEFAULT_DECISION, MODES, type CommandInput, type Mode } from '../api/contract/index.js';
import { errorShare, margin, score, seconds } from './optionValues.js';

/** Options shared by `sort` and `watch`; what is not given is the library's setting (as the page sets it). */
export interface SortCommandOptions {
  mode?: Mode;
  maxError?: number;
  threshold?: number;
  margin?: number;
  quiet?: number;
  classLanguage?: string;
  dryRun?: boolean;
  wait?: boolean;
}

/** The per-mode defaults, as help text: `avg 0.6/0.02, …`. */
const defaultsText = MODES.map(
  (mode) => `${mode} ${DEFAULT_DECISION[mode].threshold}/${DEFAULT_DECISION[mode].margin}`,
).join(', ');

/**
 * Adds `--mode`, `--max-error`, `--threshold`, `--margin`, `--quiet`, `--class-language`, `--dry-run` and
 * `--wait`.
 */
export function withSortOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--mode <mode>', "how images are compared with classes (default: the library's)").choices(
        MODES,
      ),
    )
    .option(
      '--max-error <share>',
      'file as many images as the labelled photos allow with at most this share in the wrong class, e.g. 0.02 ' +
        "(default: the library's); --threshold or --margin overrides it",
      errorShare,
    )
    .option('--threshold <t>', "lowest score that sorts an image (default: the mode's)", score)
    .option(
      '--margin <m>',
      "lowest lead over the runner-up that sorts an image (default: the mode's)",
      margin,
    )
    .option(
      '--quiet <seconds>',
      "how long a new file must be left alone before it is sorted (default: the library's, 5)",
      seconds,
    )
    .option(
      '--class-language <tag>',
      "the language the class folders are named in, for models told it, such as NLLB-CLIP (default: the library's, else the computer's)",
    )
    .option('--dry-run', 'decide and report, but move nothing')
    .option('--wait', 'wait for another ClipSort that is sorting this library to finish, instead of exiting')
    .addHelpText('after', `\nDefault threshold/margin per mode: ${defaultsText}.`);
}

/** The options as settings for this run over the library's own, as `sort.pass` and `sort.start` take them. */
export function runSettings(options: SortCommandOptions): CommandInput<'sort.pass'> {
  const { mode, maxError, threshold, margin, quiet: quietSeconds, classLanguage, dryRun } = options;
  return { mode, maxError, threshold, margin, quietSeconds, classLanguage, dryRun };
}
