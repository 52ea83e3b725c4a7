/** Retrying the parts of a download that fail for passing reasons: dropped connections, timeouts, busy servers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { ClipSortError } from '../errors.js';

/** A failure worth another try: the network or the server, not the request. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export interface RetryOptions {
  /** Further tries after the first; 4 unless set. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (capped at 30 s); 1 s unless set. */
  retryDelayMs?: number;
  signal?: AbortSignal;
}

/** Runs `attempt` until it succeeds, it throws something not transient, or the retries are spent. */
export async function withRetries<T>(
  attempt: (tryNumber: number) => Promise<T>,
  options: RetryOptions & { onGiveUp: (last: TransientError) => Error },
): Promise<T> {
  const retries = options.retries ?? 4;
  const delay = options.retryDelayMs ?? 1000;
  for (let tryNumber = 0; ; tryNumber++) {
    try {
      return await attempt(tryNumber);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (tryNumber >= retries) throw options.onGiveUp(error);
      await sleep(Math.min(delay * 2 ** tryNumber, 30_000), undefined, { signal: options.signal }).catch(
        () => {
          throw cancelled();
        },
      );
    }
  }
}

/** The error for a download the person stopped; what was fetched is kept for the next run. */
export function cancelled(): ClipSortError {
  return new ClipSortError(
    'download-cancelled',
    'The download was cancelled; run the command again to resume it.',
  );
}

/** The error for an HTTP status that is not a success: transient for 408, 429 and 5xx, final otherwise. */
export function statusError(status: number, name: string, url: string): Error {
  if (status === 408 || status === 429 || status >= 500) {
    return new TransientError(`the server answered HTTP ${status}`);
  }
  if (status === 404) {
    return new ClipSortError(
      'download-failed',
      `${name} is not at ${url} (HTTP 404); the model catalogue may be out of date.`,
    );
  }
  if (status === 401 || status === 403) {
    return new ClipSortError(
      'download-failed',
      `The server refused ${name} at ${url} (HTTP ${status}); the file may need a login or may no longer be public.`,
    );
  }
  return new ClipSortError('download-failed', `The server answered HTTP ${status} for ${name} at ${url}.`);
}

/** Turns what fetch throws into a transient error, or the cancellation when `signal` was aborted. */
export function networkError(error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return cancelled();
  if (error instanceof ClipSortError || error instanceof TransientError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new TransientError(`the connection failed (${reason})`);
}
