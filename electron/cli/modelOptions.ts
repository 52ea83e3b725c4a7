import { type Command, Option } from 'commander';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../api/contract/index.js';
import { positiveInteger } from './optionValues.js';

/** Options of the commands that run the model. */
export interface ModelOptions {
  threads?: number;
  provider?: ExecutionProvider[];
  quantized?: boolean;
}

/** Adds `--threads`, `--provider` and `--quantized` to a command. */
export function withModelOptions(command: Command): Command {
  return command
    .option('--threads <n>', 'threads for inference (default: one per core)', positiveInteger)
    .addOption(
      new Option('--provider <name...>', 'execution providers to try before the CPU').choices(
        EXECUTION_PROVIDERS,
      ),
    )
    .option('--quantized', 'use the 8-bit quantized model files');
}
