import { type Command, Option } from 'commander';
import { ClipModel } from '../engine/inference/clipModel.js';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../api/contract/index.js';
import { locateModel } from '../engine/models/index.js';
import type { GlobalOptions } from './run.js';

/** Options of the commands that run the model. */
export interface ModelOptions {
  threads?: number;
  provider?: ExecutionProvider[];
  quantized?: boolean;
}

/** Parses a CLI value that must be a whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive whole number, got ${value}`);
  return n;
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

/** Finds and loads the model the options name. */
export async function loadModel(options: GlobalOptions & ModelOptions): Promise<ClipModel> {
  const dir = await locateModel({ modelDir: options.modelDir });
  return ClipModel.load(dir, {
    threads: options.threads,
    executionProviders: options.provider,
    quantized: options.quantized,
  });
}
