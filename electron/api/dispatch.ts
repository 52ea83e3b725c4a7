import { ClipSortError, errorMessage } from '../engine/errors.js';
import type { ApiService } from './apiService.js';
import { isCommandName, parseInput, type ApiErrorBody, type CommandName } from './contract.js';
import { handlers, type Handler } from './handlers.js';

/** What a command came to: its result, or the error to answer with. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/**
 * Runs one command from a face. The name must be in the contract and the input must pass its schema before
 * anything runs; a refused payload touches nothing. Expected failures keep their code and message; anything
 * else is reported to `onInternalError` and answered as `internal`.
 */
export async function dispatch(api: ApiService, name: unknown, input: unknown): Promise<Outcome> {
  if (!isCommandName(name)) {
    const shown = typeof name === 'string' ? name.slice(0, 100) : typeof name;
    return { ok: false, error: { code: 'unknown-command', message: `There is no command ${shown}.` } };
  }
  const parsed = parseInput(name, input);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[name] as Handler<CommandName>;
    return { ok: true, result: await handler(parsed.input, api) };
  } catch (error) {
    if (error instanceof ClipSortError)
      return { ok: false, error: { code: error.code, message: error.message } };
    api.options.onInternalError?.(error);
    return {
      ok: false,
      error: { code: 'internal', message: `${name} failed unexpectedly: ${errorMessage(error)}` },
    };
  }
}
