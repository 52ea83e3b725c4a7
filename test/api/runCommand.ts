import { expect } from 'vitest';
import type { ApiService } from '../../electron/api/state/apiService.js';
import { commands, type CommandName, type CommandResult } from '../../electron/api/contract/index.js';

/** Runs a command that must succeed, and checks its result against the contract. */
export async function run<N extends CommandName>(
  api: ApiService,
  name: N,
  input: unknown = {},
): Promise<CommandResult<N>> {
  const outcome = await api.invoke(name, input);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.code}: ${outcome.error.message}`);
  const parsed = commands[name].result.safeParse(outcome.result);
  expect(parsed.success, `${name} answers in its contract's shape`).toBe(true);
  return outcome.result as CommandResult<N>;
}
