import { ClipSortError, errorMessage } from '../../engine/errors.js';
import { isCommandName, parseInput, type ApiErrorBody, type CommandName } from '../contract/index.js';
import type { Handler, HandlerContext, Handlers } from './handlerContext.js';

/** What a command came to: its result, or the error to answer with. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/**
 * Runs one command from a face with its handler from `table`. The name must be in the contract and the input must
 * pass its schema before anything runs; a refused payload touches nothing. Expected failures keep their code and
 * message; anything else is reported to `onInternalError` and answered as `internal`.
 */
export async function dispatch(
  table: Handlers,
  context: HandlerContext,
  name: unknown,
  input: unknown,
  onInternalError?: (error: unknown) => void,
): Promise<Outcome> {
  if (!isCommandName(name)) {
    const shown = typeof name === 'string' ? name.slice(0, 100) : typeof name;
    return { ok: false, error: { code: 'unknown-command', message: `There is no command ${shown}.` } };
  }
  const parsed = parseInput(name, input);
  if (!parsed.ok) return parsed;
  try {
    const handler = table[name] as Handler<CommandName>;
    return { ok: true, result: await handler(parsed.input, context) };
  } catch (error) {
    if (error instanceof ClipSortError)
      return { ok: false, error: { code: error.code, message: error.message } };
    onInternalError?.(error);
    return {
      ok: false,
      error: { code: 'internal', message: `${name} failed unexpectedly: ${errorMessage(error)}` },
    };
  }
}
