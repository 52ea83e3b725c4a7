import { type Command, Option } from 'commander';
import { DEFAULT_DECISION } from '../engine/classify/decision.js';
import { DEFAULT_MODE, MODES, type Mode } from '../engine/classify/scores.js';
import type { SortSettings } from '../engine/sorting/sorter.js';

/** Options shared by `sort` and `watch`. */
export interface SortCommandOptions {
  mode: Mode;
  threshold?: number;
  margin?: number;
  dryRun?: boolean;
  wait?: boolean;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got ${value}`);
  return n;
}

/** The per-mode defaults, as help text: `avg 0.6/0.02, …`. */
const defaultsText = MODES.map(
  (mode) => `${mode} ${DEFAULT_DECISION[mode].threshold}/${DEFAULT_DECISION[mode].margin}`,
).join(', ');

/** Adds `--mode`, `--threshold`, `--margin`, `--dry-run` and `--wait`. */
export function withSortOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--mode <mode>', 'how images are compared with classes')
        .choices(MODES)
        .default(DEFAULT_MODE),
    )
    .option('--threshold <t>', "lowest score that sorts an image (default: the mode's)", fraction)
    .option(
      '--margin <m>',
      "lowest lead over the runner-up that sorts an image (default: the mode's)",
      fraction,
    )
    .option('--dry-run', 'decide and report, but move nothing')
    .option('--wait', 'wait for another ClipSort that is sorting this library to finish, instead of exiting')
    .addHelpText('after', `\nDefault threshold/margin per mode: ${defaultsText}.`);
}

/** The settings the options name, with the mode's defaults filled in. */
export function sortSettings(options: SortCommandOptions): SortSettings {
  const defaults = DEFAULT_DECISION[options.mode];
  return {
    mode: options.mode,
    threshold: options.threshold ?? defaults.threshold,
    margin: options.margin ?? defaults.margin,
    dryRun: options.dryRun ?? false,
  };
}
