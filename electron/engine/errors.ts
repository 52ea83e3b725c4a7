/**
 * Errors a person can act on. Every failure the engine expects (a missing model, an unreadable image, a failed
 * download) is a ClipSortError whose message says what happened and what to do; the faces print the message, never
 * a stack trace. Anything else is a bug.
 */
export class ClipSortError extends Error {
  constructor(
    /** Stable machine-readable reason, e.g. `model-missing`, `image-corrupt`. */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ClipSortError';
  }
}

/** The message of any thrown value, for places that report rather than rethrow. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A folder (or file) that is not there, as opposed to one that cannot be read. */
export function isMissingError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
