import { expect } from 'vitest';
import { ClipSortError } from '../../electron/engine/errors.js';

/** Awaits `promise`, expects it to fail with a ClipSortError, and returns that error. */
export async function clipSortError(promise: Promise<unknown>): Promise<ClipSortError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClipSortError);
  return error as ClipSortError;
}

/** Runs `work`, expects it to throw a ClipSortError, and returns that error. */
export function thrownClipSortError(work: () => unknown): ClipSortError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ClipSortError);
    return error as ClipSortError;
  }
  throw new Error('expected a ClipSortError, but nothing was thrown');
}
