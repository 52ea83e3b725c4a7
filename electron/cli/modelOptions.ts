import { type Command, Option } from 'commander';
import {
  EXECUTION_PROVIDERS,
  PRECISIONS,
  type ExecutionProvider,
  type Precision,
} from '../api/contract/index.js';
import { positiveInteger } from './optionValues.js';

/** Options of the commands that run the model. */
export interface ModelOptions {
  threads?: number;
  provider?: ExecutionProvider[];
  precision?: Precision;
}

/** Adds `--threads`, `--provider` and `--precision` to a command. */
export function withModelOptions(command: Command): Command {
  return command
    .option('--threads <n>', 'threads for inference (default: one per core)', positiveInteger)
    .addOption(
      new Option('--provider <name...>', 'execution providers to try before the CPU').choices(
        EXECUTION_PROVIDERS,
      ),
    )
    .addOption(
      new Option(
        '--precision <p>',
        "the vision encoder's precision: int8 is faster, and made from the model's own weights when needed",
      ).choices(PRECISIONS),
    );
}
