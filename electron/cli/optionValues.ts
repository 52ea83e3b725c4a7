/**
 * Parsers of option values. Each refuses a bad value with commander's `InvalidArgumentError`, saying what is
 * allowed, so that commander reports it as a usage error naming the option. The ranges are the command table's:
 * a value refused here would be refused there, with a less clear message.
 */
import { InvalidArgumentError } from 'commander';
import { MAX_QUIET_SECONDS } from '../api/contract/index.js';

/** The value as a number; NaN for a blank one, which `Number` alone reads as 0. */
const toNumber = (value: string) => (value.trim() === '' ? NaN : Number(value));

/** A parser of numbers from `min` to `max`, whole ones only if `whole`; `allowed` says which, for people. */
function numbers(min: number, max: number, allowed: string, whole = false): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    // Written so that NaN fails too.
    if (!(n >= min && n <= max) || (whole && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`Expected ${allowed}.`);
    }
    return n;
  };
}

/** A threshold: a cosine similarity, or a hybrid score on the same scale. */
export const score = numbers(-1, 1, 'a score from -1 to 1');

/** How far the best class must lead the runner-up: the difference of two scores. */
export const margin = numbers(0, 2, 'a margin from 0 to 2');

/** How long a new file must be left alone before it is sorted. */
export const seconds = numbers(0, MAX_QUIET_SECONDS, `0 to ${MAX_QUIET_SECONDS} seconds`);

/** A share of filed images allowed in the wrong class: above 0, below 1. */
export const errorShare = (value: string): number => {
  const n = toNumber(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('Expected a fraction between 0 and 1, such as 0.02.');
  return n;
};

/** A duplicates threshold: below 0.5, CLIP finds most of a library "similar". */
export const similarity = numbers(0.5, 1, 'a similarity from 0.5 to 1');

/** A weight or sharpness. */
export const nonNegative = numbers(0, Number.MAX_VALUE, 'a number ≥ 0');

/** A count: threads, a batch, a limit, runs to undo. */
export const positiveInteger = numbers(1, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 1', true);

/** A TCP port; 0 lets the system choose a free one. */
export const port = numbers(0, 65535, 'a port from 0 to 65535', true);
