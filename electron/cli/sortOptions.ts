import { type Command, Option } from 'commander';
import { MAX_QUIET_SECONDS } from '../api/contract/index.js';
import {
  applyChange,
  sortSettings as librarySortSettings,
  type StoredSettings,
} from '../api/state/settingsFile.js';
import { DEFAULT_DECISION } from '../engine/classify/decision.js';
import { MODES, type Mode } from '../engine/classify/scores.js';
import type { SortSettings } from '../engine/sorting/sorter.js';

/** Options shared by `sort` and `watch`; what is not given is the library's setting (as the page sets it). */
export interface SortCommandOptions {
  mode?: Mode;
  threshold?: number;
  margin?: number;
  quiet?: number;
  dryRun?: boolean;
  wait?: boolean;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got ${value}`);
  return n;
}

function seconds(value: string): number {
  const n = fraction(value);
  if (n < 0 || n > MAX_QUIET_SECONDS)
    throw new Error(`expected 0 to ${MAX_QUIET_SECONDS} seconds, got ${value}`);
  return n;
}

/** The per-mode defaults, as help text: `avg 0.6/0.02, …`. */
const defaultsText = MODES.map(
  (mode) => `${mode} ${DEFAULT_DECISION[mode].threshold}/${DEFAULT_DECISION[mode].margin}`,
).join(', ');

/** Adds `--mode`, `--threshold`, `--margin`, `--quiet`, `--dry-run` and `--wait`. */
export function withSortOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--mode <mode>', "how images are compared with classes (default: the library's)").choices(
        MODES,
      ),
    )
    .option('--threshold <t>', "lowest score that sorts an image (default: the mode's)", fraction)
    .option(
      '--margin <m>',
      "lowest lead over the runner-up that sorts an image (default: the mode's)",
      fraction,
    )
    .option(
      '--quiet <seconds>',
      "how long a new file must be left alone before it is sorted (default: the library's, 5)",
      seconds,
    )
    .option('--dry-run', 'decide and report, but move nothing')
    .option('--wait', 'wait for another ClipSort that is sorting this library to finish, instead of exiting')
    .addHelpText('after', `\nDefault threshold/margin per mode: ${defaultsText}.`);
}

/** The library's settings with the options applied, as the page's settings.set applies a change. */
export function sortSettings(options: SortCommandOptions, stored: StoredSettings): SortSettings {
  const { mode, threshold, margin, quiet: quietSeconds } = options;
  return {
    ...librarySortSettings(applyChange(stored, { mode, threshold, margin, quietSeconds })),
    dryRun: options.dryRun ?? false,
  };
}
