import { type Command, CommanderError } from 'commander';
import { ApiError } from '../api/contract/index.js';
import { ClipSortError } from '../engine/errors.js';

/** Global options every subcommand can read with `command.optsWithGlobals()`. */
export interface GlobalOptions {
  modelDir?: string;
  json?: boolean;
}

/** The exit code of a command line that was given wrong (as most Unix tools have it); 1 is a failed command. */
const USAGE = 2;

/**
 * Makes commander report a usage error on `command` and its subcommands as `clipsort: …` with a hint on the next
 * line (commander's suggestion, or where the help is), and throw instead of exiting. Set on each command, as
 * commander copies settings only to the commands made after them.
 */
function reportUsageErrors(command: Command, name: string): void {
  command.exitOverride().configureOutput({
    outputError: (message, write) => {
      const [line = '', suggestion] = message.trimEnd().split('\n');
      write(`clipsort: ${line.replace(/^error: /, '')}\n${suggestion ?? `(see ${name} --help)`}\n`);
    },
  });
  for (const sub of command.commands) reportUsageErrors(sub, `${name} ${sub.name()}`);
}

/**
 * Parses and runs the command line. A usage error (a bad option, argument or value) exits 2; a failed command
 * prints one clear line and exits 1; anything else is a bug and keeps its stack so it can be reported.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  reportUsageErrors(program, program.name());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander has printed the error, or the help or version asked for (exit code 0).
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : USAGE;
      return;
    }
    // A command refused (ClipSortError) or an input the contract refused before it was sent (ApiError); an
    // input the contract refused is a value the command line should not have been given.
    if (error instanceof ClipSortError || error instanceof ApiError) {
      process.stderr.write(`clipsort: ${error.message}\n`);
      process.exitCode = error.code === 'invalid-input' ? USAGE : 1;
      return;
    }
    throw error;
  }
}
