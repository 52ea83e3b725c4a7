/**
 * Failures as people read them. The engine answers every expected failure with a stable `code` and an English
 * message; the renderer shows its own translation of the code (`error.code.<code>` in the dictionaries) and keeps the
 * engine's message as the detail, which names the file or folder. A code without a translation falls back to
 * the engine's message, so that a new failure is never shown as nothing.
 */
import { en, type MessageKey } from '../i18n/en.js';

/** A failure as the renderer keeps it: the engine's code (when it gave one) and its message. */
export interface Failure {
  code: string | null;
  message: string;
}

/** The code and message of anything thrown (an `ApiError` from the client, or any other error). */
export function toFailure(error: unknown): Failure {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' && code !== '' ? code : null, message: error.message };
  }
  return { code: null, message: String(error) };
}

/** The dictionary key that translates `code`, or `undefined` when there is none. */
export function errorKey(code: string | null): MessageKey | undefined {
  if (code === null) return undefined;
  const key = `error.code.${code}`;
  return Object.hasOwn(en, key) ? (key as MessageKey) : undefined;
}

/** The failure in the current language (`t`), or the engine's own message for a code without a translation. */
export function translateFailure(failure: Failure, t: (key: MessageKey) => string): string {
  const key = errorKey(failure.code);
  return key ? t(key) : failure.message;
}

/** A failure as one line: translated when `t` is given, else the engine's message. */
export function describeError(error: unknown, t?: (key: MessageKey) => string): string {
  const failure = toFailure(error);
  return t ? translateFailure(failure, t) : failure.message;
}
