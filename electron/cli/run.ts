import type { Command } from 'commander';
import { ApiError } from '../api/contract/index.js';
import { ClipSortError } from '../engine/errors.js';

/** Global options every subcommand can read with `command.optsWithGlobals()`. */
export interface GlobalOptions {
  modelDir?: string;
  json?: boolean;
}

/**
 * Parses and runs the command line. Expected failures print one clear line and exit 1; anything else is a bug
 * and keeps its stack so it can be reported.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // A command refused (ClipSortError) or an input the contract refused before it was sent (ApiError).
    if (error instanceof ClipSortError || error instanceof ApiError) {
      process.stderr.write(`clipsort: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
