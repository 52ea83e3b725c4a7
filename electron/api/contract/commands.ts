/** The command table, spread from the domains, with the types derived from it and the input check. */
import type { z } from 'zod';
import { analysisCommands } from './analysis.js';
import { debugCommands } from './debug.js';
import { describeIssues, type ApiErrorBody } from './errors.js';
import { evaluationCommands } from './evaluation.js';
import { libraryCommands } from './library.js';
import { modelCommands } from './model.js';
import { reviewCommands } from './review.js';
import { sortingCommands } from './sorting.js';

/** Every command a face may send. */
export const commands = {
  ...libraryCommands,
  ...reviewCommands,
  ...sortingCommands,
  ...modelCommands,
  ...analysisCommands,
  ...evaluationCommands,
  ...debugCommands,
} as const;

export type CommandName = keyof typeof commands;
/** What a caller passes (optional fields may be left out). */
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]['input']>;
/** What a handler receives, after validation. */
export type ParsedInput<N extends CommandName> = z.output<(typeof commands)[N]['input']>;
export type CommandResult<N extends CommandName> = z.output<(typeof commands)[N]['result']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** Checks `input` against a command's schema: the parsed input, or the error to answer with. */
export function parseInput<N extends CommandName>(
  name: N,
  input: unknown,
): { ok: true; input: ParsedInput<N> } | { ok: false; error: ApiErrorBody } {
  const parsed = commands[name].input.safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data as ParsedInput<N> };
  const issues = describeIssues(parsed.error);
  const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, error: { code: 'invalid-input', message: `${name}: ${list}`, issues } };
}
